"""Circuit breakers: one per dependency (Redis, the database) per process.

A dead or stalled dependency must cost a request microseconds, not a timeout. A breaker
counts consecutive connection failures and timeouts of its dependency; at
`failure_threshold` it *opens*: for `open_seconds` every call is refused at once with
`DependencyUnavailable` (answered as the retryable `SERVICE_UNAVAILABLE`, `retryAfter` the
time left). Then it is *half-open*: one call goes through as a trial (the others are still
refused); its success closes the breaker, its failure opens it again. A trial that never
reports (its task cancelled) is given up after `open_seconds` and another one is let through.

The closed state costs the caller one attribute read before the call (`if not b.closed`) and
one after a success (`if b.failures`), so the buy path carries it without measurable cost.
Only failures of the connection count (`is_redis_outage`, `is_database_outage`): an error
reply, a Lua error or a constraint violation says the dependency is up.
"""

from __future__ import annotations

import errno
import logging
import math
import sqlite3
import time
from enum import Enum

import asyncpg  # type: ignore[import-untyped]  # no stubs; only its exception classes
from redis.exceptions import ConnectionError as RedisConnectionError
from tortoise.exceptions import DBConnectionError, OperationalError

from flashmart.core import metrics, outages
from flashmart.core.outages import REDIS_OUTAGES

logger = logging.getLogger("flashmart.breaker")


class State(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class DependencyUnavailable(Exception):
    """A dependency is down (or its breaker is open): answer SERVICE_UNAVAILABLE."""

    def __init__(self, dependency: str, retry_after: float) -> None:
        super().__init__(f"{dependency} is unavailable")
        self.dependency = dependency
        self.retry_after = retry_after

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds, at least one (what `extensions.retryAfter` carries)."""
        return max(1, math.ceil(self.retry_after))


class RedisUnavailable(DependencyUnavailable, RedisConnectionError):
    """Redis is down, stalled or its breaker is open; still a redis-py `ConnectionError`, so
    code that rides out a Redis outage (`except RedisError`) keeps doing so."""


class DatabaseUnavailable(DependencyUnavailable, DBConnectionError):
    """The database is down, stalled or its breaker is open; still Tortoise's
    `DBConnectionError` for code that already handles that."""


class Breaker:
    __slots__ = (
        "closed",
        "error",
        "failure_threshold",
        "failures",
        "name",
        "open_seconds",
        "opened_at",
        "trial_at",
    )

    def __init__(
        self,
        name: str,
        error: type[DependencyUnavailable] = DependencyUnavailable,
        *,
        failure_threshold: int = 3,
        open_seconds: float = 2.0,
    ) -> None:
        self.name = name
        self.error = error
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self.closed = True  # the one attribute the hot path reads
        self.failures = 0  # consecutive
        self.opened_at = 0.0
        self.trial_at: float | None = None  # when the half-open trial call was let through

    @property
    def state(self) -> State:
        if self.closed:
            return State.CLOSED
        if time.monotonic() - self.opened_at < self.open_seconds:
            return State.OPEN
        return State.HALF_OPEN

    def configure(self, *, failure_threshold: int, open_seconds: float) -> None:
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds

    def admit(self) -> None:
        """Called before a call while `closed` is false: lets the half-open trial through,
        else raises the breaker's `DependencyUnavailable` at once."""
        if self.closed:
            return
        now = time.monotonic()
        waited = now - self.opened_at
        if waited < self.open_seconds:
            raise self.error(self.name, self.open_seconds - waited)
        trial = self.trial_at
        if trial is not None and now - trial < self.open_seconds:
            raise self.error(self.name, self.open_seconds - (now - trial))
        self.trial_at = now  # this call is the trial

    def refuse_if_open(self) -> None:
        """Raise while open (not half-open): for a step before the call that `admit`s."""
        if not self.closed and time.monotonic() - self.opened_at < self.open_seconds:
            self.admit()

    def succeeded(self) -> None:
        """Called after a call that reached the dependency (when `failures` is not 0)."""
        if not self.closed:
            logger.warning("%s is back: circuit breaker closed", self.name)
            metrics.BREAKER_OPEN.labels(self.name).set(0)
        self.failures = 0
        self.closed = True
        self.trial_at = None

    def failed(self) -> None:
        """Called after a connection failure or timeout of the dependency."""
        self.failures += 1
        if not self.closed or self.failures >= self.failure_threshold:
            if self.closed:
                logger.warning(
                    "%s unreachable %d times in a row: circuit breaker open for %.1f s",
                    self.name,
                    self.failures,
                    self.open_seconds,
                )
                metrics.BREAKER_OPEN.labels(self.name).set(1)
                metrics.BREAKER_OPENED.labels(self.name).inc()
            self.closed = False
            self.opened_at = time.monotonic()
            self.trial_at = None

    def tripped(self) -> DependencyUnavailable:
        """After a connection failure or timeout: count it (`failed`); the error to raise."""
        self.failed()
        return self.unavailable()

    def reached(self) -> None:
        """After a call that reached the dependency, an error reply included: close the
        breaker if it was counting failures. (The hot paths inline the `failures` check.)"""
        if self.failures:
            self.succeeded()

    def unavailable(self) -> DependencyUnavailable:
        """The error a request that met an outage answers with."""
        left = self.open_seconds - (time.monotonic() - self.opened_at)
        return self.error(self.name, max(left, 0.0) if not self.closed else self.open_seconds)

    def reset(self) -> None:
        if not self.closed:
            metrics.BREAKER_OPEN.labels(self.name).set(0)
        self.failures, self.closed, self.trial_at = 0, True, None


def is_redis_outage(exc: BaseException) -> bool:
    return isinstance(exc, REDIS_OUTAGES)


_NETWORK_ERRNOS = frozenset({errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH})
# The connection failures of core/outages.py (one list for the worker, the background loops
# and the breakers): Redis's; the database's, with a bare socket's refusal or timeout.
DATABASE_OUTAGES: tuple[type[BaseException], ...] = (
    outages.DATABASE_OUTAGES + outages.SOCKET_OUTAGES
)


def is_database_outage(exc: BaseException) -> bool:
    """Whether a database error means "cannot reach it now" (not a query or data error)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # tortoise wraps asyncpg's errors
        seen.add(id(current))
        if isinstance(current, DATABASE_OUTAGES):
            return True
        if isinstance(current, OSError) and current.errno in _NETWORK_ERRNOS:
            return True
        if isinstance(current, asyncpg.InterfaceError) and "closed" in str(current):
            return True  # "connection is closed": the pool's connection went away under it
        if isinstance(current, OperationalError | sqlite3.OperationalError) and (
            "database is locked" in str(current)
        ):
            return True  # SQLite's busy timeout ran out
        current = current.__cause__
    return False


# The process's database breaker: the ORM's connections are process-wide, so is it
# (core/db_client.py checks it; `core.db.init_db` configures and resets it).
DATABASE = Breaker("database", DatabaseUnavailable)
