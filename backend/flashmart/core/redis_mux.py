"""One multiplexed, automatically pipelined Redis connection for the hot path.

redis-py's asyncio client gives every concurrent command a pooled connection of its own: with
a hundred buys in flight, an API process holds a hundred sockets, and each command costs a
pool checkout, a socket write, a socket read and the parser's bookkeeping: more client CPU
for one `EVALSHA` than the script costs inside Redis (docs/hotpath.md). Here every command of
one event-loop turn is packed by hiredis into one buffer and written with one `write`; replies
come back on the same connection in order and are parsed by hiredis (RESP2), each one
resolving its caller's future. Client CPU per command drops to a small fraction, and Redis
reads many commands per socket read. This is what ioredis' auto-pipelining and
Lettuce's shared connections do; redis-py has no such mode.

Only plain commands that need no connection state go here (EVALSHA, GET, ...): no MULTI,
WATCH, blocking commands or pub/sub (they stay on the pooled client). Errors come back as
redis-py's exception classes (`NoScriptError`, `ResponseError`, ...), so callers handle them
as before. A lost connection fails the commands in flight with `ConnectionError` (their
outcome is unknown, as with redis-py) and the next command connects again. While Redis is
away, connection attempts back off (RECONNECT_FIRST_SECONDS doubling up to
RECONNECT_MAX_SECONDS): in between, commands fail at once with `ConnectionError` instead of
each trying to connect. A connection is bound to the event loop that opened it; a command
from another loop opens its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

import hiredis
from redis._parsers.base import BaseParser
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from flashmart.core.breaker import Breaker
from flashmart.core.outages import REDIS_OUTAGES, Backoff

Arg = str | bytes | int
RECONNECT_FIRST_SECONDS = 0.05
RECONNECT_MAX_SECONDS = 1.0  # Redis back: the buy path follows within this


class Sender(Protocol):
    """What the hot path sends commands through: a `Multiplexer`, or a cluster's
    (core/redis_cluster.py `ClusterMultiplexer`)."""

    async def execute(self, *args: Arg) -> Any: ...


@dataclass(frozen=True)
class Endpoint:
    """Where and how to connect (from the pooled client's own connection settings)."""

    host: str = "127.0.0.1"
    port: int = 6379
    path: str | None = None  # a unix socket instead of TCP
    db: int = 0
    username: str | None = None
    password: str | None = None
    timeout: float | None = None  # seconds a command may wait for its reply
    connect_timeout: float | None = None


@dataclass
class Stats:
    connections: int = 0  # connections opened (and set up)
    attempts: int = 0  # connection attempts that failed
    commands: int = 0
    writes: int = 0  # socket writes: commands of one loop turn share one


class _Protocol(asyncio.Protocol):
    def __init__(self, mux: _Connection) -> None:
        self.mux = mux

    def data_received(self, data: bytes) -> None:
        self.mux.received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.mux.lost(exc)


class _Connection:
    """One socket and the futures waiting on it, in the order their commands were sent."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        timeout: float | None,
        stats: Stats,
        parser: type[BaseParser] = BaseParser,
    ) -> None:
        self.loop = loop
        self.parser = parser  # error replies to exception classes
        self.stats = stats
        self.timeout = timeout
        self.reader = hiredis.Reader(replyError=ResponseError)
        self.waiting: deque[tuple[asyncio.Future[Any], float]] = deque()
        self.outgoing: list[bytes] = []
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._flush_scheduled = False
        self._watchdog: asyncio.TimerHandle | None = None

    def send(self, packed: bytes) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = self.loop.create_future()
        self.outgoing.append(packed)
        self.stats.commands += 1
        self.waiting.append((future, time.monotonic()))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.loop.call_soon(self._flush)
        return future

    def _flush(self) -> None:
        self._flush_scheduled = False
        if self.transport is None or self.closed or not self.outgoing:
            return
        data = b"".join(self.outgoing) if len(self.outgoing) > 1 else self.outgoing[0]
        self.outgoing.clear()
        self.stats.writes += 1
        self.transport.write(data)

    def received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            if not self.waiting:  # a reply nobody asked for: the stream cannot be trusted
                self.abort(RedisConnectionError("unexpected reply from Redis"))
                return
            future, _ = self.waiting.popleft()
            if future.done():  # its caller was cancelled; the reply is dropped, order kept
                continue
            if isinstance(reply, ResponseError):
                future.set_exception(self.parser.parse_error(str(reply)))  # type: ignore[no-untyped-call]
            else:
                future.set_result(reply)

    def lost(self, exc: Exception | None) -> None:
        self.abort(RedisConnectionError(f"connection to Redis lost: {exc or 'closed'}"))

    def abort(self, error: RedisError) -> None:
        """Fail every command in flight and close; the owner connects again on next use."""
        self.closed = True
        if self._watchdog is not None:
            self._watchdog.cancel()
        while self.waiting:
            future, _ = self.waiting.popleft()
            if not future.done():
                future.set_exception(error)
        self.outgoing.clear()
        if self.transport is not None:
            self.transport.abort()

    def watch(self) -> None:
        """While commands wait, check (every quarter of the timeout, at least once a second)
        that the oldest is within the timeout: a stalled Redis fails them within 1.25 x it."""
        if self.timeout is None:
            return
        if self.waiting and time.monotonic() - self.waiting[0][1] > self.timeout:
            self.abort(RedisTimeoutError(f"no reply from Redis within {self.timeout} s"))
            return
        self._watchdog = self.loop.call_later(min(1.0, self.timeout / 4), self.watch)


class Multiplexer:
    """`await mux.execute("EVALSHA", sha, 2, key1, key2, arg)`: one shared connection per
    event loop, commands of one loop turn written together."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        breaker: Breaker | None = None,
        parser: type[BaseParser] = BaseParser,
    ) -> None:
        self.endpoint = endpoint
        # Which exception each error reply becomes (a cluster's: MOVED, ASK, ... too).
        self.parser = parser
        # The process's breaker for this Redis (core/breaker.py), shared with the pooled client.
        self.breaker = breaker
        self.stats = Stats()
        self._connection: _Connection | None = None
        self._connecting: asyncio.Task[_Connection] | None = None
        self.reconnect = Backoff(RECONNECT_FIRST_SECONDS, RECONNECT_MAX_SECONDS)
        self._next_attempt = 0.0  # monotonic time before which no attempt is made

    async def execute(self, *args: Arg, asking: bool = False) -> Any:
        """`args`' reply; `asking`: sent right after ASKING on the same connection, nothing in
        between (a cluster's slot being migrated to this node)."""
        breaker = self.breaker
        if breaker is None:
            return await self._execute(args, asking)
        if not breaker.closed:
            breaker.admit()
        try:
            reply = await self._execute(args, asking)
        except REDIS_OUTAGES as exc:
            raise breaker.tripped() from exc
        except RedisError:  # an error reply: Redis is up
            breaker.reached()
            raise
        if breaker.failures:  # one attribute read when all is well (docs/hotpath.md)
            breaker.succeeded()
        return reply

    async def _execute(self, args: tuple[Arg, ...], asking: bool = False) -> Any:
        connection = self._connection
        if connection is None or connection.closed or connection.loop is not _loop():
            connection = await self._connect()
        if asking:  # both queued in this turn: written together, in this order
            ready = connection.send(hiredis.pack_command(("ASKING",)))
            reply = connection.send(hiredis.pack_command(args))  # type: ignore[arg-type]
            done = await asyncio.gather(ready, reply, return_exceptions=True)
            for outcome in done:
                if isinstance(outcome, BaseException):
                    raise outcome
            return done[1]
        return await connection.send(hiredis.pack_command(args))  # type: ignore[arg-type]

    async def _connect(self) -> _Connection:
        loop = _loop()
        task = self._connecting
        if task is None or task.get_loop() is not loop:
            wait = self._next_attempt - time.monotonic()
            if wait > 0:
                raise RedisConnectionError(f"Redis unavailable; next attempt in {wait:.2f} s")
            task = self._connecting = loop.create_task(self._attempt(loop))
        try:
            connection = await asyncio.shield(task)
        finally:
            if self._connecting is task and task.done():
                self._connecting = None
        return connection

    async def _attempt(self, loop: asyncio.AbstractEventLoop) -> _Connection:
        try:
            connection = await self._open(loop)
        except Exception:
            self.stats.attempts += 1
            self._next_attempt = time.monotonic() + self.reconnect.next()
            raise
        self.reconnect.reset()
        return connection

    async def _open(self, loop: asyncio.AbstractEventLoop) -> _Connection:
        old = self._connection
        if old is not None and old.loop is loop and not old.closed:
            return old
        e = self.endpoint
        connection = _Connection(loop, e.timeout, Stats(), self.parser)
        try:
            if e.path is not None:
                opening = loop.create_unix_connection(lambda: _Protocol(connection), e.path)
            else:
                opening = loop.create_connection(lambda: _Protocol(connection), e.host, e.port)
            transport, _ = await asyncio.wait_for(opening, e.connect_timeout)
        except (TimeoutError, OSError) as exc:
            raise RedisConnectionError(f"cannot connect to Redis: {exc}") from exc
        connection.transport = transport
        setup: list[tuple[Arg, ...]] = []
        if e.password is not None:
            setup.append(("AUTH", e.username, e.password) if e.username else ("AUTH", e.password))
        if e.db:
            setup.append(("SELECT", e.db))
        try:
            for command in setup:  # sent before anyone else's command: replies stay in order
                reply = connection.send(hiredis.pack_command(command))  # type: ignore[arg-type]
                await asyncio.wait_for(reply, e.connect_timeout or e.timeout)
        except (TimeoutError, RedisError) as exc:
            connection.abort(RedisConnectionError("Redis refused the connection setup"))
            if isinstance(exc, RedisError):
                raise
            raise RedisTimeoutError("Redis did not answer the connection setup") from exc
        connection.watch()
        connection.stats = self.stats
        self.stats.connections += 1
        if old is not None and old.loop.is_closed() and old.transport is not None:
            with contextlib.suppress(Exception):  # a finished loop's socket: just close it
                old.transport.abort()
        self._connection = connection
        return connection

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.closed:
            connection.abort(RedisConnectionError("closed"))
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(BaseException):
                await self._connecting
            self._connecting = None


def _loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()
