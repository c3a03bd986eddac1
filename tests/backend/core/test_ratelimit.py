"""The Redis token bucket (core/ratelimit.py + ratelimit.lua), on the real Redis."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from redis.asyncio import Redis

from flashmart.core import embedded_redis
from flashmart.core.errors import ApiError, TopLevelCode
from flashmart.core.ratelimit import Limit, RateLimiter


async def test_bucket_allows_capacity_then_says_when_to_retry(
    redis: Redis, redis_prefix: str
) -> None:
    limiter = RateLimiter(redis)
    limit = Limit(capacity=3, period_seconds=30)  # one token back every 10 s
    key = f"{redis_prefix}rl:test"
    decisions = [await limiter.hit(key, limit) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[2].remaining == pytest.approx(0, abs=0.01)
    assert 9 < decisions[3].retry_after <= 10
    assert await redis.pttl(key) > 0  # idle buckets disappear on their own


async def test_bucket_refills_over_time(redis: Redis, redis_prefix: str) -> None:
    limiter = RateLimiter(redis)
    limit = Limit(capacity=2, period_seconds=0.2)  # 10 tokens a second
    key = f"{redis_prefix}rl:refill"
    assert (await limiter.hit(key, limit)).allowed
    assert (await limiter.hit(key, limit)).allowed
    assert not (await limiter.hit(key, limit)).allowed
    await asyncio.sleep(0.15)
    assert (await limiter.hit(key, limit)).allowed


async def test_refund_gives_tokens_back_up_to_capacity(redis: Redis, redis_prefix: str) -> None:
    limiter = RateLimiter(redis)
    limit = Limit(capacity=2, period_seconds=3600)
    key = f"{redis_prefix}rl:refund"
    await limiter.hit(key, limit)
    await limiter.hit(key, limit)
    await limiter.refund(key, limit)
    assert (await limiter.hit(key, limit)).allowed
    assert not (await limiter.hit(key, limit)).allowed
    for _ in range(5):
        await limiter.refund(key, limit)
    decision = await limiter.hit(key, limit)
    assert decision.remaining == pytest.approx(1, abs=0.01)  # capped at capacity, minus this hit


async def test_consume_takes_from_all_buckets_or_none(redis: Redis, redis_prefix: str) -> None:
    limiter = RateLimiter(redis)
    roomy = (f"{redis_prefix}rl:roomy", Limit(capacity=10, period_seconds=3600))
    tight = (f"{redis_prefix}rl:tight", Limit(capacity=1, period_seconds=60))
    await limiter.consume(roomy, tight)
    with pytest.raises(ApiError) as raised:
        await limiter.consume(roomy, tight)
    assert raised.value.code is TopLevelCode.RATE_LIMITED
    assert raised.value.extensions["retryAfter"] == 60
    decision = await limiter.hit(*roomy)
    assert decision.remaining == pytest.approx(8, abs=0.01)  # the refused call was given back


async def test_concurrent_hits_never_exceed_capacity(redis_url: str, redis_prefix: str) -> None:
    limit = Limit(capacity=25, period_seconds=3600)
    key = f"{redis_prefix}rl:race"
    clients = [Redis.from_url(redis_url) for _ in range(4)]
    try:
        limiters = [RateLimiter(c) for c in clients]
        decisions = await asyncio.gather(*(limiters[i % 4].hit(key, limit) for i in range(100)))
    finally:
        for c in clients:
            await c.delete(key)
            await c.aclose()
    assert sum(d.allowed for d in decisions) == 25


async def test_script_survives_a_script_cache_flush(tmp_path: Path) -> None:
    server = embedded_redis.start(tmp_path, reuse=False)  # our own: SCRIPT FLUSH is server-wide
    client = Redis.from_url(server.url)
    try:
        limiter = RateLimiter(client)
        limit = Limit(capacity=5, period_seconds=60)
        await limiter.hit("rl:noscript", limit)
        await client.script_flush()  # what a Redis restart does to loaded scripts
        assert (await limiter.hit("rl:noscript", limit)).remaining == pytest.approx(3, abs=0.01)
    finally:
        await client.aclose()
        server.stop()
