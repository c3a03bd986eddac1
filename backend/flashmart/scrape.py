"""Gauges read when `/metrics` is scraped (the API's and the worker's): the arq queue's depth
and the age of its oldest due job, reservations not yet written and units left (summed over
the sales in Redis), and the Redis and PostgreSQL pools' connections.

Read at scrape time, not by a cron: a cron job waits in the very queue it would measure.
A handful of Redis reads in two round trips plus one per sale in Redis; nothing from the
database. When Redis does not answer within REFRESH_TIMEOUT_SECONDS the Redis figures keep
their last values (`flashmart_breaker_open` and the scrape's own duration tell why).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from redis.asyncio import Redis
from tortoise import connections

from flashmart.core import metrics
from flashmart.core.runtime import Runtime
from flashmart.seckill.store import SaleStore

logger = logging.getLogger("flashmart.metrics")

REFRESH_TIMEOUT_SECONDS = 1.0


async def refresh(runtime: Runtime) -> None:
    """Set the scrape-time gauges from `runtime`'s clients."""
    _pools(runtime)
    try:
        await asyncio.wait_for(_redis_figures(runtime), timeout=REFRESH_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - an outage must not fail the scrape
        logger.debug("scrape-time figures unavailable: %r", exc)


async def _redis_figures(runtime: Runtime) -> None:
    now_ms = time.time() * 1000
    async with runtime.queue.pipeline(transaction=False) as pipe:
        pipe.zcard(runtime.keys.queue)
        pipe.zcount(runtime.keys.queue, "-inf", now_ms)
        pipe.zrange(runtime.keys.queue, 0, 0, withscores=True)
        total, due, oldest = await pipe.execute()
    metrics.QUEUE_JOBS.labels("due").set(due)
    metrics.QUEUE_JOBS.labels("deferred").set(total - due)
    age = (now_ms - oldest[0][1]) / 1000 if oldest and due else 0.0
    metrics.QUEUE_OLDEST_AGE.set(max(0.0, age))
    sales = SaleStore.of(runtime)
    event_ids = await sales.warm_event_ids()
    states = await sales.read_states(event_ids) if event_ids else {}
    metrics.SECKILL_STOCK.set(sum(max(0, s.remaining) for s in states.values()))
    pending = [await sales.pending_count(event_id) for event_id in event_ids]
    metrics.SECKILL_PENDING.set(sum(pending))


def _pools(runtime: Runtime) -> None:
    for name, client in (("main", runtime.redis), ("queue", runtime.queue)):
        in_use, idle = _redis_pool(client)
        metrics.REDIS_POOL.labels(name, "in_use").set(in_use)
        metrics.REDIS_POOL.labels(name, "idle").set(idle)
    sizes = _db_pool()
    if sizes is not None:
        metrics.DB_POOL.labels("in_use").set(sizes[0])
        metrics.DB_POOL.labels("idle").set(sizes[1])


def _redis_pool(client: Redis) -> tuple[int, int]:
    """redis-py's pool keeps these as attributes (no public accessor as of redis-py 5/6); a
    cluster client keeps connections per node (summed over the nodes)."""
    pool = getattr(client, "connection_pool", None)
    if pool is None:  # RedisCluster: each ClusterNode holds its connections and its free ones
        nodes: Any = getattr(client, "get_nodes", list)()
        opened = sum(len(getattr(node, "_connections", ())) for node in nodes)
        free = sum(len(getattr(node, "_free", ())) for node in nodes)
        return opened - free, free
    in_use: Any = getattr(pool, "_in_use_connections", ())
    idle: Any = getattr(pool, "_available_connections", ())
    return len(in_use), len(idle)


def _db_pool() -> tuple[int, int] | None:
    """(in use, idle) of the asyncpg pool; None on SQLite or before the first connection."""
    try:
        client = connections.get("default")
    except Exception:  # noqa: BLE001 - Tortoise not initialised in this process
        return None
    pool = getattr(client, "_pool", None)
    if pool is None or not hasattr(pool, "get_idle_size"):
        return None
    size, idle = int(pool.get_size()), int(pool.get_idle_size())
    return size - idle, idle
