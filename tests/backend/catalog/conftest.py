"""Catalog service tests get the process dependencies (settings, Redis, key names) directly."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from redis.asyncio import Redis

from flashmart.core.keys import Keys
from flashmart.core.settings import Settings


@dataclass
class Deps:
    settings: Settings
    redis: Redis
    keys: Keys


@pytest.fixture
def deps(settings: Settings, redis: Redis, db: None) -> Deps:
    return Deps(settings=settings, redis=redis, keys=Keys(settings.redis_prefix))
