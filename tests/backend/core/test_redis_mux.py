"""The multiplexed hot-path connection: one socket, commands of a loop turn written together,
every caller its own reply, errors and lost connections as redis-py reports them."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from flashmart.core import embedded_redis
from flashmart.core.redis import create_redis
from flashmart.core.redis_mux import RECONNECT_MAX_SECONDS, Endpoint, Multiplexer
from flashmart.seckill.store import ReserveCode, ReserveResult, SaleStore, TicketSnapshot


def _endpoint(url: str, **changes: object) -> Endpoint:
    mux = create_redis(url).mux
    assert mux is not None
    return Endpoint(**{**mux.endpoint.__dict__, **changes})  # type: ignore[arg-type]


async def test_concurrent_callers_each_get_their_own_reply_over_one_connection(
    redis_url: str, redis_prefix: str, redis: Redis
) -> None:
    mux = Multiplexer(_endpoint(redis_url))
    try:
        key = f"{redis_prefix}counter"
        payloads = [f"caller-{i}-{'x' * (i % 50)}".encode() for i in range(2000)]
        echoes, counts = await asyncio.gather(
            asyncio.gather(*(mux.execute("ECHO", p) for p in payloads)),
            asyncio.gather(*(mux.execute("INCR", key) for _ in range(2000))),
        )
        assert echoes == payloads  # every reply reached the caller that asked for it
        assert sorted(counts) == list(range(1, 2001))
        assert int(await redis.get(key)) == 2000
        stats = mux.stats
        assert stats.connections == 1
        assert stats.commands == 4000
        assert stats.writes < 100  # commands of one loop turn share a write
    finally:
        await mux.aclose()


async def test_an_error_reply_fails_only_its_own_command(redis_url: str, redis_prefix: str) -> None:
    mux = Multiplexer(_endpoint(redis_url))
    try:
        key = f"{redis_prefix}text"
        await mux.execute("SET", key, "v", "EX", 30)
        before, wrong, missing, after = await asyncio.gather(
            mux.execute("GET", key),
            mux.execute("INCR", key),
            mux.execute("EVALSHA", "0" * 40, 0),
            mux.execute("ECHO", "still in step"),
            return_exceptions=True,
        )
        assert before == b"v"
        assert isinstance(wrong, ResponseError) and "not an integer" in str(wrong)
        assert isinstance(missing, NoScriptError)  # redis-py's own class, as callers expect
        assert after == b"still in step"
        await mux.execute("DEL", key)
    finally:
        await mux.aclose()


async def test_a_cancelled_caller_does_not_shift_the_replies(
    redis_url: str, redis_prefix: str
) -> None:
    mux = Multiplexer(_endpoint(redis_url))
    try:
        slow = asyncio.ensure_future(mux.execute("BLPOP", f"{redis_prefix}empty", "0.3"))
        await asyncio.sleep(0.05)
        slow.cancel()
        replies = await asyncio.gather(*(mux.execute("ECHO", str(i)) for i in range(20)))
        assert replies == [str(i).encode() for i in range(20)]
        assert slow.cancelled()
    finally:
        await mux.aclose()


async def test_a_lost_connection_fails_commands_in_flight_and_the_next_one_reconnects(
    redis_url: str, redis_prefix: str, redis: Redis
) -> None:
    mux = Multiplexer(_endpoint(redis_url))
    try:
        mine = await mux.execute("CLIENT", "ID")
        waiting = asyncio.ensure_future(mux.execute("BLPOP", f"{redis_prefix}empty", "5"))
        await asyncio.sleep(0.05)
        await redis.execute_command("CLIENT", "KILL", "ID", mine)  # our own connection only
        with pytest.raises(RedisConnectionError):
            await asyncio.wait_for(waiting, 3)
        assert await mux.execute("PING") == b"PONG"
        assert await mux.execute("CLIENT", "ID") != mine
        assert mux.stats.connections == 2
    finally:
        await mux.aclose()


async def test_while_redis_is_away_attempts_back_off_and_commands_resume_once_it_is_back(
    tmp_path: Path,
) -> None:
    server = embedded_redis.start(tmp_path, reuse=False)  # ours to kill
    mux = Multiplexer(_endpoint(server.url))
    try:
        assert await mux.execute("PING") == b"PONG"
        server.kill()
        failures, started = 0, time.monotonic()
        while time.monotonic() - started < 1.0:
            with pytest.raises(RedisConnectionError):
                await mux.execute("PING")
            failures += 1
            await asyncio.sleep(0.001)
        # Hundreds of commands failed, but only a few tried to connect: 0.05, 0.1, 0.2, 0.4 s
        # apart (without the back-off, every one of them would have).
        assert failures > 100
        assert 3 <= mux.stats.attempts <= 6
        server.relaunch()
        back = time.monotonic()
        while True:
            try:
                assert await mux.execute("PING") == b"PONG"
                break
            except RedisConnectionError:
                assert time.monotonic() - back < RECONNECT_MAX_SECONDS + 0.5
                await asyncio.sleep(0.01)
        assert mux.reconnect.attempts == 0 and mux.stats.connections == 2
    finally:
        await mux.aclose()
        server.stop()


async def test_a_reply_that_never_comes_times_out(redis_url: str, redis_prefix: str) -> None:
    mux = Multiplexer(_endpoint(redis_url, timeout=0.5))
    try:
        started = time.monotonic()
        with pytest.raises(RedisTimeoutError):
            await mux.execute("BLPOP", f"{redis_prefix}empty", "4")
        assert time.monotonic() - started < 3
        assert await mux.execute("PING") == b"PONG"  # a fresh connection
    finally:
        await mux.aclose()


async def test_the_database_number_of_the_url_is_selected(
    redis_url: str, redis_prefix: str
) -> None:
    base = redis_url.rsplit("/", 1)[0]
    other = create_redis(f"{base}/3")
    default = create_redis(f"{base}/0")
    try:
        assert other.mux is not None
        key = f"{redis_prefix}db"
        await other.mux.execute("SET", key, "three", "EX", 30)
        assert await other.get(key) == b"three"  # the pooled client of db 3 sees it
        assert await default.get(key) is None
        await other.delete(key)
    finally:
        await other.aclose()
        await default.aclose()


async def test_a_refused_setup_is_an_error_and_leaves_no_connection(redis_url: str) -> None:
    mux = Multiplexer(_endpoint(redis_url, password="not-the-password"))
    with pytest.raises(RedisError):
        await mux.execute("PING")
    assert mux.stats.connections == 0
    await mux.aclose()


async def test_an_unreachable_server_is_a_connection_error(tmp_path: Path) -> None:
    mux = Multiplexer(Endpoint(path=str(tmp_path / "nobody.sock")))
    with pytest.raises(RedisConnectionError):
        await mux.execute("PING")


def test_each_event_loop_gets_its_own_connection(redis_url: str) -> None:
    mux = Multiplexer(_endpoint(redis_url))
    assert asyncio.run(mux.execute("ECHO", "first")) == b"first"
    # A new loop (another asyncio.run, a thread) must not touch the first loop's socket.
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(asyncio.run(mux.execute("ECHO", "t"))))
    thread.start()
    thread.join(5)
    assert found == [b"t"]
    assert asyncio.run(mux.execute("ECHO", "again")) == b"again"
    assert mux.stats.connections == 3


async def test_reserve_calls_the_script_over_the_multiplexed_connection_and_reloads_it(
    tmp_path: Path,
) -> None:
    """Through `SaleStore.reserve`, the buy path's only Redis call; after SCRIPT FLUSH (a restarted
    Redis) the script is loaded again, as redis-py's own `AsyncScript` does."""
    from flashmart.core.keys import Keys

    server = embedded_redis.start(tmp_path, reuse=False)  # ours to flush
    client = create_redis(server.url)
    keys = Keys("fmmux:")
    try:
        assert client.mux is not None
        sales = SaleStore(client, keys)
        await sales.load(
            event_id=1, starts_ms=0, ends_ms=2**41, per_user_limit=1, total=5,
            snapshot=TicketSnapshot(live=[], dead=[]),
        )  # fmt: skip

        async def buy(user_id: int) -> ReserveResult:
            return await sales.reserve(
                event_id=1, user_id=user_id, quantity=1, ticket_id=f"t{user_id}",
                client_ip="127.0.0.1", user_rate=1.0, user_burst=5, ip_rate=1000.0,
                ip_burst=1000, enqueue=True,
            )  # fmt: skip

        first = await asyncio.gather(*(buy(u) for u in range(1, 4)))
        assert [r.code for r in first] == [ReserveCode.OK] * 3
        assert sorted(r.value for r in first) == [2, 3, 4]
        assert client.mux.stats.commands >= 3
        await client.script_flush()
        assert (await buy(1)).code is ReserveCode.ALREADY_PURCHASED  # ran after reload
        assert await buy(4) == ReserveResult(ReserveCode.OK, 1)
    finally:
        await client.aclose()
        server.stop()


async def test_tls_and_turned_off_clients_keep_the_pool() -> None:
    for client in (
        create_redis("rediss://127.0.0.1:6390/0"),  # no connection is made here
        create_redis("redis://127.0.0.1:6390/0", multiplex=False),
    ):
        assert client.mux is None
        await client.aclose()
    unix = create_redis("unix:///tmp/flashmart-none.sock?db=2")
    assert unix.mux is not None
    assert (unix.mux.endpoint.path, unix.mux.endpoint.db) == ("/tmp/flashmart-none.sock", 2)
    await unix.aclose()
