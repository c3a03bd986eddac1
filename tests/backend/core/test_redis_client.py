"""The shared Redis client packs commands in C and still speaks redis-py's protocol exactly."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.connection import Connection

from flashmart.core.redis import FastPackConnection, create_redis


@pytest.mark.parametrize(
    "args",
    [
        ("GET", "fm:key"),
        ("SET", "k", "välue ✓", "EX", 30),
        ("EVALSHA", "a" * 40, 3, "k1", "k2", "k3", b"\x00\xffbytes", -7, 0, 2**40),
        ("HSET", "h", "f", ""),
    ],
)
def test_plain_commands_pack_to_redis_pys_own_bytes(args: tuple[object, ...]) -> None:
    fast = FastPackConnection().pack_command(*args)  # type: ignore[arg-type]
    reference = Connection().pack_command(*args)  # type: ignore[arg-type]
    assert len(fast) == 1  # one buffer, packed by hiredis
    assert fast[0] == b"".join(reference)


@pytest.mark.parametrize(
    "args",
    [
        ("ZADD", "z", 1.5, "m"),  # floats: redis-py's repr() encoding is kept
        ("CONFIG GET", "maxmemory"),  # a two-word name is split by redis-py
        ("SET", "k", "x" * 10_000),  # above the buffer cutoff: sent in chunks
        ("SET", "k", memoryview(b"view")),
    ],
)
def test_other_commands_keep_redis_pys_packing(args: tuple[object, ...]) -> None:
    assert FastPackConnection().pack_command(*args) == Connection().pack_command(*args)  # type: ignore[arg-type]


async def test_the_client_round_trips_against_real_redis(redis_url: str, redis_prefix: str) -> None:
    client = create_redis(redis_url)
    try:
        key = f"{redis_prefix}fastpack"
        connection = await client.connection_pool.get_connection()
        assert isinstance(connection, FastPackConnection)
        await client.connection_pool.release(connection)
        await client.set(key, "välue ✓", ex=30)
        assert (await client.get(key)).decode() == "välue ✓"
        script = client.register_script("return {KEYS[1], ARGV[1], tonumber(ARGV[2]) + 1}")
        assert await script(keys=[key], args=["ärg", 41]) == [key.encode(), "ärg".encode(), 42]
        await client.zadd(key + ":z", {"m": 1.5})
        assert await client.zscore(key + ":z", "m") == 1.5
        await client.delete(key, key + ":z")
    finally:
        await client.aclose()


async def _turns_for_concurrent_checkouts(client: Redis, key: str, n: int) -> int:
    """Event-loop turns taken by `n` concurrent pooled GETs while another task keeps the
    loop busy (each of its turns blocks 2 ms, as a loaded API process's turns do)."""
    await asyncio.gather(*(client.get(key) for _ in range(n)))  # n connections in the pool
    turns, running = 0, True

    async def busy() -> None:
        nonlocal turns
        while running:
            time.sleep(0.002)
            turns += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(busy())
    await asyncio.sleep(0)
    start = turns
    await asyncio.gather(*(client.get(key) for _ in range(n)))
    taken = turns - start
    running = False
    await ticker
    return taken


async def test_pool_checkouts_do_not_wait_for_each_other(redis_url: str, redis_prefix: str) -> None:
    """redis-py 5.x's plain pool checks each connection it hands out (a socket read) while
    holding its lock, so concurrent checkouts take turns of the event loop one after another;
    the blocking pool the process uses checks outside its lock, and 50 checkouts share a few
    turns."""
    key = f"{redis_prefix}pool-check"
    ours = create_redis(redis_url, multiplex=False)
    stock = Redis.from_url(redis_url)
    try:
        assert isinstance(ours.connection_pool, BlockingConnectionPool)
        serial = await _turns_for_concurrent_checkouts(stock, key, 50)
        shared = await _turns_for_concurrent_checkouts(ours, key, 50)
    finally:
        await ours.aclose()
        await stock.aclose()
    assert serial >= 50  # redis-py's plain pool: a few turns per checkout (about 150 here)
    assert shared <= 25  # ours: the 50 checks share their turns (8 or 9 here)


async def test_more_callers_than_connections_wait_for_one(
    redis_url: str, redis_prefix: str
) -> None:
    """A burst of commands larger than the pool (every subscription's slot heartbeat at
    once) waits for free connections instead of failing with "Too many connections"."""
    key = f"{redis_prefix}pool-burst"
    client = create_redis(redis_url, multiplex=False, max_connections=10)
    try:
        await client.set(key, "1", ex=30)
        found = await asyncio.gather(*(client.get(key) for _ in range(500)))
        assert found == [b"1"] * 500
        assert len(client.connection_pool._in_use_connections) == 0
        assert len(client.connection_pool._available_connections) <= 10
    finally:
        await client.delete(key)
        await client.aclose()
