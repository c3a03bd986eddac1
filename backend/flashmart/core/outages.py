"""Failures that mean "Redis or the database is away for now", and how long to wait for it.

A process meets these when a dependency restarts, is killed or drops its connections. They are
not bugs: the worker retries a job that met one (`worker.py`), background loops keep trying
(`core/pubsub.py`, `seckill/live.py`), and `flashmart run` restarts a child that died
(`supervisor.py`), all with the same capped, doubling `Backoff`.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]  # no stubs; only its exception classes
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError
from tortoise.exceptions import DBConnectionError

# Redis: refused, reset, timed out, or still loading its files after a restart (BusyLoadingError
# is a ConnectionError).
REDIS_OUTAGES: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError)
# The database: a lost or refused connection, a server shutting down or starting up, no free
# connection slot. Tortoise passes asyncpg's connection errors through untranslated.
DATABASE_OUTAGES: tuple[type[BaseException], ...] = (
    DBConnectionError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    # A pooled connection whose server end was terminated mid-operation: releasing or reusing
    # it fails on its protocol state ("cannot switch to state ...; another operation is in
    # progress"), never on the query.
    asyncpg.exceptions.InternalClientError,
)
# Sockets: refused, reset, broken pipe; and a connect or read that timed out.
SOCKET_OUTAGES: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError)
OUTAGES = REDIS_OUTAGES + DATABASE_OUTAGES + SOCKET_OUTAGES


def is_outage(exc: BaseException) -> bool:
    """True when `exc`, or an exception it was raised from, is a lost or refused connection."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OUTAGES):
            return True
        if isinstance(current, asyncpg.exceptions.InterfaceError) and "closed" in str(current):
            return True  # "connection is closed": the pool's connection went away under it
        if isinstance(current, WatchError) and "ConnectionError" in str(current):
            return True  # redis-py's word for a connection lost during WATCH (arq uses WATCH)
        seen.add(id(current))
        current = current.__cause__
    return False


@dataclass
class Backoff:
    """Delays that double from `first` up to `cap`; `reset()` once the thing works again."""

    first: float
    cap: float
    attempts: int = 0

    def next(self) -> float:
        delay = min(self.first * 2.0**self.attempts, self.cap)
        self.attempts += 1
        return delay

    def reset(self) -> None:
        self.attempts = 0
