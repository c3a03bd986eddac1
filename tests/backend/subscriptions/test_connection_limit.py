"""Sockets per user are counted in Redis across processes, and a dead process cannot leak them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportConnectionFailed

from flashmart.core.runtime import Runtime
from flashmart.graphql.ws_limits import STALE_AFTER_HEARTBEATS, ConnectionSlots
from tests.backend.helpers import token_for
from tests.backend.payments.factories import shopper
from tests.backend.subscriptions.conftest import client


def _slots(runtime: Runtime, heartbeat: float = 10.0) -> ConnectionSlots:
    return ConnectionSlots(runtime.redis, heartbeat_seconds=heartbeat)


async def _redis_ms(runtime: Runtime) -> int:
    seconds, micros = await runtime.redis.time()
    return int(seconds) * 1000 + int(micros) // 1000


async def _refused(base_url: str, token: str) -> int | None:
    with pytest.raises(TransportConnectionFailed) as caught:
        async with client(base_url, token):
            pass
    received = getattr(caught.value.__cause__, "rcvd", None)
    return getattr(received, "code", None)


async def test_an_open_socket_holds_one_entry_until_it_closes(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    user = await shopper()
    async with ws_server() as base_url:
        async with client(base_url, token_for(user.id)):
            assert len(await _slots(runtime).holders(runtime.keys.ws_connections(user.id))) == 1
        for _ in range(100):  # the server releases as it handles the close
            if not await _slots(runtime).holders(runtime.keys.ws_connections(user.id)):
                break
            await asyncio.sleep(0.02)
        assert await _slots(runtime).holders(runtime.keys.ws_connections(user.id)) == []


async def test_a_live_socket_elsewhere_counts_and_a_dead_processs_entry_does_not(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    user = await shopper()
    key = runtime.keys.ws_connections(user.id)
    now = await _redis_ms(runtime)
    stale_ms = int(10.0 * STALE_AFTER_HEARTBEATS * 1000)
    async with ws_server(subscription_max_connections_per_user=1) as base_url:
        # A socket on another process that beat a moment ago: the user is at the limit.
        await runtime.redis.zadd(key, {"on-another-process": now})
        assert await _refused(base_url, token_for(user.id)) == 4403
        # That process died: its last heartbeat is older than three intervals.
        await runtime.redis.zadd(key, {"on-another-process": now - stale_ms - 1})
        async with client(base_url, token_for(user.id)):
            holders = await _slots(runtime).holders(runtime.keys.ws_connections(user.id))
            assert len(holders) == 1 and "on-another-process" not in holders


async def test_heartbeats_keep_a_long_lived_socket_counted(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    user = await shopper()
    heartbeat = 0.2
    overrides = {
        "subscription_max_connections_per_user": 1,
        "subscription_heartbeat_seconds": heartbeat,
    }
    async with ws_server(**overrides) as base_url, client(base_url, token_for(user.id)):
        key = runtime.keys.ws_connections(user.id)
        [(_, first)] = await runtime.redis.zrange(key, 0, -1, withscores=True)
        await asyncio.sleep(heartbeat * STALE_AFTER_HEARTBEATS * 2)  # would be stale unrenewed
        [(_, later)] = await runtime.redis.zrange(key, 0, -1, withscores=True)
        assert later > first
        assert await _refused(base_url, token_for(user.id)) == 4403
        assert 0 < await runtime.redis.pttl(key) <= heartbeat * STALE_AFTER_HEARTBEATS * 1000
