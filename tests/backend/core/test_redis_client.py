"""The shared Redis client packs commands in C and still speaks redis-py's protocol exactly."""

from __future__ import annotations

import pytest
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
