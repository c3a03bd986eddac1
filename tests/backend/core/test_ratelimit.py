"""The Redis token bucket and back-off (core/ratelimit.py, ratelimit.lua, backoff.lua), on the
real Redis."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from redis.asyncio import Redis

from flashmart.core import embedded_redis
from flashmart.core.errors import ApiError, TopLevelCode
from flashmart.core.ratelimit import Backoff, Limit, RateLimiter, client_subject


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


# --- back-off --------------------------------------------------------------------------------
async def test_backoff_lets_free_attempts_through_then_doubles_the_wait(
    redis: Redis, redis_prefix: str
) -> None:
    limiter = RateLimiter(redis)
    backoff = Backoff(free=2, base_seconds=0.2, max_seconds=0.5, forget_seconds=60)
    key = f"{redis_prefix}bo:grow"
    assert [(await limiter.attempt(key, backoff)).allowed for _ in range(3)] == [True, True, False]
    waits = []
    for _ in range(4):  # each refused attempt says how long; waiting that long lets one through
        refused = await limiter.attempt(key, backoff)
        assert not refused.allowed
        waits.append(refused.retry_after)
        await asyncio.sleep(refused.retry_after + 0.02)
        allowed = await limiter.attempt(key, backoff)
        assert allowed.allowed
    assert waits[0] == pytest.approx(0.2, abs=0.05)
    assert waits[1] == pytest.approx(0.4, abs=0.05)
    assert waits[2] == pytest.approx(0.5, abs=0.05)  # capped
    assert waits[3] == pytest.approx(0.5, abs=0.05)
    assert (await limiter.attempt(key, backoff)).remaining == 6  # refusals recorded nothing
    assert 0 < await redis.pttl(key) <= 60_000  # forgotten a while after the latest attempt
    await limiter.clear(key)
    assert (await limiter.attempt(key, backoff)).allowed


async def test_backoff_with_one_free_attempt_waits_from_the_second(
    redis: Redis, redis_prefix: str
) -> None:
    limiter = RateLimiter(redis)
    backoff = Backoff(free=1, base_seconds=30, max_seconds=60, forget_seconds=600)
    key = f"{redis_prefix}bo:strict"
    assert (await limiter.attempt(key, backoff)).allowed
    refused = await limiter.attempt(key, backoff)
    assert not refused.allowed and 29 < refused.retry_after <= 30
    assert backoff.delay(1) == 30 and backoff.delay(2) == 60 and backoff.delay(5000) == 60
    with pytest.raises(ValueError):
        Backoff(free=0, base_seconds=1, max_seconds=1, forget_seconds=1)


async def test_concurrent_attempts_never_share_a_free_slot(
    redis_url: str, redis_prefix: str
) -> None:
    backoff = Backoff(free=5, base_seconds=60, max_seconds=600, forget_seconds=600)
    key = f"{redis_prefix}bo:race"
    clients = [Redis.from_url(redis_url) for _ in range(4)]
    try:
        limiters = [RateLimiter(c) for c in clients]
        decisions = await asyncio.gather(
            *(limiters[i % 4].attempt(key, backoff) for i in range(40))
        )
    finally:
        for c in clients:
            await c.delete(key)
            await c.aclose()
    assert sum(d.allowed for d in decisions) == 5


@pytest.mark.parametrize(
    ("address", "subject"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("testclient", "testclient"),
    ],
)
def test_client_subject_counts_ipv6_hosts_by_their_network(address: str, subject: str) -> None:
    assert client_subject(address) == subject
