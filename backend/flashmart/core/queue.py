"""The arq job queue: connection settings, JSON job format and the typed job context.

Jobs are JSON (not pickle) so that Lua scripts and other languages can write them too.
"""

from __future__ import annotations

import json
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool

from flashmart.core.keys import Keys
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings


def serialize_job(data: dict[str, Any]) -> bytes:
    return json.dumps(data, default=str, separators=(",", ":")).encode()


def deserialize_job(raw: bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(raw)
    return value


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)


async def create_queue(settings: Settings, url: str) -> ArqRedis:
    pool: ArqRedis = await create_pool(
        redis_settings(url),
        job_serializer=serialize_job,
        job_deserializer=deserialize_job,
        default_queue_name=Keys(settings.redis_prefix).queue,
    )
    return pool


# What every job function receives, typed (arq itself hands jobs a plain dict).
JobDeps = Runtime
DEPS_KEY = "flashmart"


def deps(ctx: dict[str, Any]) -> Runtime:
    value = ctx[DEPS_KEY]
    assert isinstance(value, Runtime)  # set by the worker's on_startup, never by input
    return value
