"""What account services need from the process: settings and Redis.

A structural type, so the process `Runtime` and a test's own object
all fit without conversion.
"""

from __future__ import annotations

from typing import Protocol

from redis.asyncio import Redis

from flashmart.core.keys import Keys
from flashmart.core.settings import Settings


class AccountDeps(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def redis(self) -> Redis: ...

    @property
    def keys(self) -> Keys: ...
