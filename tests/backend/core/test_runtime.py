"""`Runtime.open` builds a process's clients and closes them in reverse order, also when its
start-up fails half-way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from arq.connections import ArqRedis

from flashmart.core.pubsub import Broker
from flashmart.core.redis import FlashRedis
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The clients closed so far, in order (each still closes for real)."""
    order: list[str] = []
    for cls, method, name in (
        (FlashRedis, "aclose", "redis"),
        (ArqRedis, "aclose", "queue"),
        (Broker, "stop", "broker"),
    ):
        monkeypatch.setattr(cls, method, _recording(order, name, getattr(cls, method)))
    return order


def _recording(
    order: list[str], name: str, close: Callable[..., Awaitable[None]]
) -> Callable[..., Awaitable[None]]:
    async def recording(self: Any, *args: Any) -> None:
        order.append(name)
        await close(self, *args)

    return recording


async def test_the_worker_and_cli_get_redis_queue_and_keys(
    settings: Settings, closed: list[str]
) -> None:
    async with Runtime.open(settings) as runtime:
        assert await runtime.redis.ping()
        assert isinstance(runtime.redis, FlashRedis) and runtime.redis.mux is not None
        assert runtime.queue.default_queue_name == runtime.keys.queue
        assert runtime.keys.prefix == settings.redis_prefix
        assert runtime.broker is None and runtime.stamps is None
    assert closed == ["queue", "redis"]


async def test_the_api_also_gets_the_broker_and_the_stamp_copy_it_follows(
    settings: Settings, closed: list[str]
) -> None:
    async with Runtime.open(settings, multiplex=False, broker=True) as runtime:
        assert isinstance(runtime.redis, FlashRedis) and runtime.redis.mux is None
        assert runtime.broker is not None and runtime.broker.connected.is_set()
        assert runtime.stamps is not None and runtime.stamps.live()
        stamps = runtime.stamps
    assert not stamps.live()
    assert closed == ["broker", "queue", "redis"]


async def test_a_failed_start_up_closes_what_was_opened(
    settings: Settings, closed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refuse(self: Broker) -> None:
        raise ConnectionError("pub/sub refused")

    monkeypatch.setattr(Broker, "start", refuse)
    with pytest.raises(ConnectionError):
        async with Runtime.open(settings, broker=True):
            pytest.fail("the block must not run")
    assert closed == ["broker", "queue", "redis"]


async def test_a_redis_url_is_required(settings: Settings) -> None:
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        async with Runtime.open(settings.model_copy(update={"redis_url": None})):
            pytest.fail("the block must not run")
