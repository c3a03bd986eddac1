"""Operational status of the job pipeline: worker liveness, queue depth, a round-trip ping."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis
from redis.asyncio import Redis

from flashmart.core.keys import Keys
from flashmart.core.runtime import deps


@dataclass(frozen=True)
class WorkerStatus:
    worker_alive: bool
    queue_depth: int  # every job in the queue, due or scheduled for later
    jobs_due: int  # of those, the ones whose time has come
    health: str | None
    last_ping_at: float | None


def health_check_key(keys: Keys) -> str:
    return f"{keys.queue}:health-check"


def last_ping_key(keys: Keys) -> str:
    return f"{keys.prefix}system:last-ping"


async def worker_status(queue: Redis, keys: Keys) -> WorkerStatus:
    """Read from the queue's Redis (QUEUE_REDIS_URL, else REDIS_URL), where arq keeps the
    worker's health report and the jobs, and `system_ping` its stamp."""
    async with queue.pipeline(transaction=False) as pipe:
        pipe.get(health_check_key(keys))
        pipe.zcard(keys.queue)
        pipe.zcount(keys.queue, "-inf", time.time() * 1000)  # arq scores jobs by due time (ms)
        pipe.get(last_ping_key(keys))
        health, depth, due, last_ping = await pipe.execute()
    return WorkerStatus(
        worker_alive=health is not None,
        queue_depth=int(depth),
        jobs_due=int(due),
        health=health.decode() if health else None,
        last_ping_at=float(last_ping) if last_ping else None,
    )


async def enqueue_ping(queue: ArqRedis) -> str:
    """Ask a worker to prove it is consuming the queue; returns the job id."""
    job_id = f"ping-{uuid.uuid4().hex}"
    await queue.enqueue_job("system_ping", time.time(), _job_id=job_id)
    return job_id


async def system_ping(ctx: dict[str, Any], sent_at: float) -> float:
    """Job: record when a ping reached a worker; returns the queue latency in seconds."""
    d = deps(ctx)
    now = time.time()
    await d.queue.set(last_ping_key(d.keys), repr(now))  # beside the queue it came through
    return now - sent_at
