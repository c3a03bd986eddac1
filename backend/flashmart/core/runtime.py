"""The process-wide clients every service needs, created once per API or worker process.

`Runtime.open` is the one way the processes build them (the app lifespan, the worker, the CLI,
the tests' fixtures and the benchmarks): it creates them and closes them in reverse order when
the block ends, also when start-up fails half-way. A `Runtime` can still be constructed
directly from clients the caller owns (a test's Redis that is down, say), or derived from
another with `dataclasses.replace`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis
from redis.asyncio import Redis

from flashmart.core.breaker import Breaker, RedisUnavailable
from flashmart.core.durability import DurabilityPlan, check
from flashmart.core.keys import Keys
from flashmart.core.pubsub import Broker
from flashmart.core.queue import create_queue
from flashmart.core.redis import create_redis
from flashmart.core.redis_urls import is_cluster_url
from flashmart.core.settings import Settings
from flashmart.core.stamps import StampCache, follow


@dataclass
class Runtime:
    """Settings plus the Redis client, the job queue and the key names, handed to services."""

    settings: Settings
    redis: Redis
    queue: ArqRedis
    keys: Keys
    broker: Broker | None = None  # the API's pub/sub fan-out (None in the worker and the CLI)
    stamps: StampCache | None = None  # the API's copy of token stamps (core/stamps.py)
    # How the API's buys keep SECKILL_DURABILITY (core/durability.py); None: answer at once.
    durability: DurabilityPlan | None = None

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls,
        settings: Settings,
        *,
        redis_url: str | None = None,
        multiplex: bool = True,
        broker: bool = False,
    ) -> AsyncIterator[Runtime]:
        """The clients for `settings`, open for the duration of the block.

        `redis_url` defaults to REDIS_URL (the CLI passes the embedded server's); the queue
        is on QUEUE_REDIS_URL when that is set. `multiplex`
        gives the Redis client its hot-path connection (core/redis.py); the API passes
        REDIS_MULTIPLEX. `broker=True` (the API) adds the pub/sub `Broker` and the copy of
        token stamps it keeps in step, and the durability check of the Redis its buys use.
        """
        url = redis_url or settings.redis_url
        if not url:
            raise RuntimeError("REDIS_URL is not set")
        if is_cluster_url(url) and not settings.queue_redis_url:
            raise RuntimeError(
                "REDIS_URL names a Redis Cluster: set QUEUE_REDIS_URL to a plain Redis for the "
                "job queue (arq does not support Redis Cluster)"
            )
        keys = Keys(settings.redis_prefix)
        async with contextlib.AsyncExitStack() as stack:
            redis = create_redis(
                url,
                multiplex=multiplex,
                timeout=settings.redis_socket_timeout_seconds,
                connect_timeout=settings.redis_connect_timeout_seconds,
                breaker=Breaker(
                    "redis",
                    RedisUnavailable,
                    failure_threshold=settings.breaker_failure_threshold,
                    open_seconds=settings.breaker_open_seconds,
                ),
            )
            stack.push_async_callback(redis.aclose)
            # arq's queue: QUEUE_REDIS_URL when set (a cluster requires it), else the same Redis.
            queue = await create_queue(settings, queue_url(settings, url))
            stack.push_async_callback(queue.aclose)
            hub = stamps = plan = None
            if broker:
                plan = await check(redis, settings)
                hub = Broker(
                    url,
                    control_channel=keys.channel("broker", "control"),
                    connect_timeout=settings.redis_connect_timeout_seconds,
                    reply_timeout=settings.redis_socket_timeout_seconds,
                )
                stack.push_async_callback(hub.stop)
                await hub.start()  # one pub/sub connection for every subscription
                stamps = StampCache(ttl=settings.token_stamp_cache_seconds)
                await stack.enter_async_context(follow(hub, keys, stamps))
            yield cls(
                settings=settings, redis=redis, queue=queue, keys=keys, broker=hub, stamps=stamps,
                durability=plan,
            )  # fmt: skip


def queue_url(settings: Settings, redis_url: str) -> str:
    """Where arq's queue lives: QUEUE_REDIS_URL, else the sales' Redis (`redis_url`)."""
    return settings.queue_redis_url or redis_url


# Where the worker's on_startup puts the Runtime in arq's job context (a plain dict).
DEPS_KEY = "flashmart"


def deps(ctx: dict[str, Any]) -> Runtime:
    """The Runtime a job function runs with, typed."""
    value = ctx[DEPS_KEY]
    assert isinstance(value, Runtime)  # set by the worker's on_startup, never by input
    return value
