"""The process-wide clients every service needs, created once per API or worker process."""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis

from flashmart.core.keys import Keys
from flashmart.core.pubsub import Broker
from flashmart.core.settings import Settings
from flashmart.core.stamps import StampCache


@dataclass
class Runtime:
    """Settings plus the Redis client, the job queue and the key names, handed to services."""

    settings: Settings
    redis: Redis
    queue: ArqRedis
    keys: Keys
    broker: Broker | None = None  # the API's pub/sub fan-out (None in the worker and the CLI)
    stamps: StampCache | None = None  # the API's copy of token stamps (core/stamps.py)
