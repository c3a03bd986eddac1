"""The arq job queue: connection settings and the JSON job format.

Jobs are JSON (not pickle) so that Lua scripts and other languages can write them too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.asyncio.client import Pipeline

from flashmart.core.keys import Keys
from flashmart.core.redis import apply_timeouts
from flashmart.core.settings import Settings


def serialize_job(data: dict[str, Any]) -> bytes:
    return json.dumps(data, default=str, separators=(",", ":")).encode()


def deserialize_job(raw: bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(raw)
    return value


# arq's `expires_extra_ms`: a queued job's key outlives the time it is due by a day.
EXPIRES_EXTRA_MS = 86_400_000


def add_new_job(
    pipe: Pipeline, keys: Keys, *, job_id: str, function: str, args: Sequence[Any], run_at_ms: int
) -> None:
    """Queue a job, inside `pipe`, exactly as `ArqRedis.enqueue_job` writes it with our JSON
    serializer: its key (`arq:job:<id>`) and its queue entry scored by when it is due.

    Only for a job id that cannot exist yet (e.g. derived from a row created in the same
    piece of work): `enqueue_job` checks for an existing job or result first (WATCH and two
    EXISTS, three round trips of their own); this adds two commands to a round trip the caller
    makes anyway. tests/backend/core/test_queue.py runs such jobs on a real arq worker.
    """
    now_ms = int(time.time() * 1000)
    payload = serialize_job({"t": None, "f": function, "a": list(args), "k": {}, "et": now_ms})
    pipe.psetex(keys.arq_job(job_id), max(run_at_ms - now_ms, 0) + EXPIRES_EXTRA_MS, payload)
    pipe.zadd(keys.queue, {job_id: run_at_ms})


def redis_settings(url: str, settings: Settings | None = None) -> RedisSettings:
    """arq's connection settings for `url`, with our connect timeout (arq's own `conn_timeout`;
    the command timeout arq has no setting for: `apply_timeouts` on the pool it built)."""
    found = RedisSettings.from_dsn(url)
    if settings is not None:
        found.conn_timeout = settings.redis_connect_timeout_seconds  # type: ignore[assignment]
    return found


def apply_queue_timeouts(pool: ArqRedis, settings: Settings) -> None:
    """Our command and connect timeouts on an arq pool (the queue's, the worker's own)."""
    apply_timeouts(
        pool,
        timeout=settings.redis_socket_timeout_seconds,
        connect_timeout=settings.redis_connect_timeout_seconds,
    )


async def create_queue(settings: Settings, url: str) -> ArqRedis:
    pool: ArqRedis = await create_pool(
        redis_settings(url, settings),
        job_serializer=serialize_job,
        job_deserializer=deserialize_job,
        default_queue_name=Keys(settings.redis_prefix).queue,
    )
    apply_queue_timeouts(pool, settings)
    return pool
