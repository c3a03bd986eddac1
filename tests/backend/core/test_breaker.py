"""The circuit breaker with real time, alone and in front of a real (private) Redis."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
import redis as sync_redis
from redis.exceptions import RedisError, ResponseError

from flashmart.core import embedded_redis
from flashmart.core.breaker import (
    Breaker,
    DependencyUnavailable,
    RedisUnavailable,
    State,
    is_database_outage,
)
from flashmart.core.redis import create_redis
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings

OPEN = 0.3


def test_opens_after_consecutive_failures_only() -> None:
    breaker = Breaker("test", failure_threshold=3, open_seconds=OPEN)
    breaker.failed()
    breaker.failed()
    breaker.succeeded()  # a success in between: the count starts again
    breaker.failed()
    breaker.failed()
    assert breaker.state is State.CLOSED
    breaker.admit()  # closed: every call goes through
    breaker.failed()
    assert breaker.state is State.OPEN
    with pytest.raises(DependencyUnavailable) as refused:
        breaker.admit()
    assert 0 < refused.value.retry_after <= OPEN
    assert refused.value.retry_after_seconds == 1


def test_half_open_lets_one_trial_through_and_its_success_closes() -> None:
    breaker = Breaker("test", failure_threshold=1, open_seconds=OPEN)
    breaker.failed()
    with pytest.raises(DependencyUnavailable):
        breaker.admit()
    time.sleep(OPEN + 0.05)
    assert breaker.state is State.HALF_OPEN
    breaker.admit()  # the trial
    with pytest.raises(DependencyUnavailable):  # everyone else waits for its outcome
        breaker.admit()
    breaker.succeeded()
    assert breaker.state is State.CLOSED
    breaker.admit()
    breaker.admit()


def test_a_failed_trial_opens_again_for_the_whole_period() -> None:
    breaker = Breaker("test", failure_threshold=2, open_seconds=OPEN)
    breaker.failed()
    breaker.failed()
    time.sleep(OPEN + 0.05)
    breaker.admit()  # the trial
    breaker.failed()  # one failure is enough once it has been open
    assert breaker.state is State.OPEN
    time.sleep(OPEN / 2)
    with pytest.raises(DependencyUnavailable):
        breaker.admit()
    time.sleep(OPEN / 2 + 0.05)
    breaker.admit()


def test_a_trial_that_never_reports_is_given_up() -> None:
    breaker = Breaker("test", failure_threshold=1, open_seconds=OPEN)
    breaker.failed()
    time.sleep(OPEN + 0.05)
    breaker.admit()  # its caller was cancelled: no success, no failure
    with pytest.raises(DependencyUnavailable):
        breaker.admit()
    time.sleep(OPEN + 0.05)
    breaker.admit()  # another trial


def test_an_open_breaker_refuses_in_microseconds() -> None:
    breaker = Breaker("test", failure_threshold=1, open_seconds=60)
    breaker.failed()
    refused = 0
    started = time.perf_counter()
    for _ in range(10_000):
        try:
            breaker.admit()
        except DependencyUnavailable:
            refused += 1
    assert refused == 10_000
    assert (time.perf_counter() - started) / 10_000 < 100e-6  # a timeout is 2 s


def test_only_connection_failures_are_database_outages() -> None:
    from tortoise.exceptions import IntegrityError, OperationalError

    assert is_database_outage(ConnectionRefusedError(111, "refused"))
    assert is_database_outage(TimeoutError())
    assert is_database_outage(OperationalError("database is locked"))
    assert not is_database_outage(IntegrityError("UNIQUE constraint failed"))
    assert not is_database_outage(OperationalError("no such table: x"))
    assert not is_database_outage(ValueError("bad"))


def _sleep(url: str, seconds: float) -> threading.Thread:
    """DEBUG SLEEP on a private server, from a connection of its own."""
    client = sync_redis.Redis.from_url(url)
    thread = threading.Thread(target=client.execute_command, args=("DEBUG", "SLEEP", seconds))
    thread.start()
    time.sleep(0.1)  # the server is asleep now
    return thread


@pytest.mark.parametrize("multiplexed", [True, False])
async def test_a_stalled_redis_times_out_then_costs_nothing(
    tmp_path: Path, multiplexed: bool
) -> None:
    server = embedded_redis.start(tmp_path, reuse=False)  # our own, to stall
    breaker = Breaker("redis", RedisUnavailable, failure_threshold=2, open_seconds=1.0)
    client = create_redis(server.url, timeout=0.3, connect_timeout=0.3, breaker=breaker)

    async def get() -> object:
        if multiplexed:
            assert client.mux is not None
            return await client.mux.execute("GET", "fmtest:breaker")
        return await client.get("fmtest:breaker")

    try:
        assert await get() is None
        sleeper = _sleep(server.url, 3)
        for _ in range(2):  # each waits for its timeout
            started = time.monotonic()
            with pytest.raises(RedisUnavailable):
                await get()
            assert 0.25 < time.monotonic() - started < 1.0
        assert breaker.state is State.OPEN
        started = time.monotonic()
        with pytest.raises(RedisUnavailable):
            await get()
        assert time.monotonic() - started < 0.1  # refused without waiting for Redis (0.3 s)
        sleeper.join()  # Redis answers again
        time.sleep(1.0)
        assert await get() is None  # the half-open trial succeeds
        assert breaker.state is State.CLOSED
    finally:
        await client.aclose()
        server.stop()


async def test_every_client_of_a_runtime_gives_up_on_a_stalled_redis(
    settings: Settings, tmp_path: Path
) -> None:
    """The pooled client, the multiplexer and the job queue (arq's pool) all time out."""
    server = embedded_redis.start(tmp_path, reuse=False)  # ours, to stall
    fast = settings.model_copy(
        update={"redis_socket_timeout_seconds": 0.3, "breaker_failure_threshold": 100}
    )
    try:
        async with Runtime.open(fast, redis_url=server.url, broker=True) as runtime:
            assert runtime.redis.mux is not None  # type: ignore[attr-defined]
            await runtime.queue.zcard(runtime.keys.queue)  # connected before the stall
            sleeper = _sleep(server.url, 2)
            calls = {
                "pool": runtime.redis.get("fmtest:x"),
                "mux": runtime.redis.mux.execute("GET", "fmtest:x"),  # type: ignore[attr-defined]
                "queue": runtime.queue.zcard(runtime.keys.queue),
            }
            for name, call in calls.items():
                started = time.monotonic()
                with pytest.raises(RedisError):
                    await call
                assert time.monotonic() - started < 1.0, name
            await asyncio.to_thread(sleeper.join)
    finally:
        server.stop()


@pytest.mark.parametrize("multiplexed", [True, False])
async def test_an_error_reply_to_the_trial_closes_the_breaker(
    redis_url: str, multiplexed: bool
) -> None:
    """Redis answered (an unknown command is refused): it is up."""
    breaker = Breaker("redis", RedisUnavailable, failure_threshold=1, open_seconds=0.2)
    client = create_redis(redis_url, breaker=breaker)
    try:
        breaker.failed()
        with pytest.raises(RedisUnavailable):
            await client.execute_command("PING")
        time.sleep(0.25)
        with pytest.raises(ResponseError):
            if multiplexed:
                assert client.mux is not None
                await client.mux.execute("NO-SUCH-COMMAND")
            else:
                await client.execute_command("NO-SUCH-COMMAND")
        assert breaker.state is State.CLOSED
    finally:
        await client.aclose()
