"""The asyncio Redis client shared by a process."""

from __future__ import annotations

from typing import Any, cast

import hiredis
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.connection import (
    AbstractConnection,
    BlockingConnectionPool,
    Connection,
    ConnectionPool,
    SSLConnection,
    UnixDomainSocketConnection,
)
from redis.exceptions import RedisError
from redis.typing import EncodableT

from flashmart.core.breaker import Breaker, RedisUnavailable
from flashmart.core.outages import REDIS_OUTAGES
from flashmart.core.redis_cluster import create_cluster
from flashmart.core.redis_mux import Endpoint, Multiplexer
from flashmart.core.redis_urls import is_cluster_url

_PLAIN = (str, bytes, int)


class FastPack(AbstractConnection):
    """Commands packed by hiredis's C encoder, as redis-py's own synchronous client does.

    redis-py's asyncio connection packs in Python, argument by argument: for the flash-sale
    reserve script (25 arguments) that cost more CPU than everything else in the request but
    the socket write (docs/bench.md). Commands made only of str, bytes and int (not bool), with
    a one-word name and no argument above the buffer cutoff, are packed by hiredis into the same
    bytes; anything else (floats, memoryviews, "CONFIG GET") goes through redis-py's packer.
    """

    def pack_command(self, *args: EncodableT) -> list[bytes]:
        name = args[0]
        if isinstance(name, str) and " " not in name and all(type(a) in _PLAIN for a in args):
            plain = cast(tuple[str | bytes | int, ...], args)
            if sum(len(a) for a in plain if not isinstance(a, int)) < self._buffer_cutoff:
                packed: bytes = hiredis.pack_command(plain)  # type: ignore[arg-type]  # stub: 1-tuple
                return [packed]
        return super().pack_command(*args)


class FastPackConnection(FastPack, Connection):
    pass


class FastPackUnixConnection(FastPack, UnixDomainSocketConnection):
    pass


class FastPackSSLConnection(FastPack, SSLConnection):
    pass


_FAST: dict[type[AbstractConnection], type[AbstractConnection]] = {
    Connection: FastPackConnection,
    UnixDomainSocketConnection: FastPackUnixConnection,
    SSLConnection: FastPackSSLConnection,
}


class FlashRedis(Redis):
    """redis-py's client plus `mux`, the multiplexed connection for hot-path commands
    (`flashmart.core.redis_mux`), or None where it does not apply (TLS, or turned off), and
    `breaker`, the process's circuit breaker for this Redis (core/breaker.py): every command,
    pipeline and multiplexed call goes through it, and a connection failure or timeout is
    raised as `RedisUnavailable` (a redis-py `ConnectionError`)."""

    mux: Multiplexer | None = None
    breaker: Breaker = Breaker("redis", RedisUnavailable)

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        breaker = self.breaker
        if not breaker.closed:
            breaker.admit()
        try:
            result = await super().execute_command(*args, **options)  # type: ignore[no-untyped-call]
        except REDIS_OUTAGES as exc:
            raise breaker.tripped() from exc
        except RedisError:  # an error reply: Redis is up
            breaker.reached()
            raise
        if breaker.failures:  # one attribute read when all is well (docs/hotpath.md)
            breaker.succeeded()
        return result

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Pipeline:
        pipe = GuardedPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint
        )
        pipe.breaker = self.breaker
        return pipe

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        if self.mux is not None:
            await self.mux.aclose()
        await super().aclose(close_connection_pool)


class GuardedPipeline(Pipeline):
    """A pipeline whose `execute` goes through its client's breaker."""

    breaker: Breaker

    async def execute(self, raise_on_error: bool = True) -> list[Any]:
        breaker = self.breaker
        if not breaker.closed:
            breaker.admit()
        try:
            result: list[Any] = await super().execute(raise_on_error)
        except REDIS_OUTAGES as exc:
            raise breaker.tripped() from exc
        except RedisError:  # an error reply: Redis is up
            breaker.reached()
            raise
        if breaker.failures:  # one attribute read when all is well (docs/hotpath.md)
            breaker.succeeded()
        return result


def _endpoint(pool: ConnectionPool) -> Endpoint | None:
    kwargs = pool.connection_kwargs
    if issubclass(pool.connection_class, SSLConnection):
        return None
    unix = issubclass(pool.connection_class, UnixDomainSocketConnection)
    return Endpoint(
        host=str(kwargs.get("host", "127.0.0.1")),
        port=int(kwargs.get("port", 6379)),
        path=str(kwargs["path"]) if unix else None,
        db=int(kwargs.get("db", 0) or 0),
        username=kwargs.get("username"),
        password=kwargs.get("password"),
        timeout=kwargs.get("socket_timeout"),
        connect_timeout=kwargs.get("socket_connect_timeout"),
    )


def create_redis(
    url: str,
    *,
    max_connections: int = 200,
    multiplex: bool = True,
    timeout: float | None = 2.0,
    connect_timeout: float | None = 2.0,
    breaker: Breaker | None = None,
) -> FlashRedis:
    """The process's client for `url`: `timeout` bounds every command's wait for its reply
    (pool and multiplexer), `connect_timeout` every connect; `breaker` (default: a new one)
    guards them all. A `redis+cluster://` URL gives the cluster client of
    core/redis_cluster.py, which answers every call the services make of this one (typed as
    this class for them)."""
    if is_cluster_url(url):
        cluster = create_cluster(
            url, max_connections=max_connections, multiplex=multiplex, timeout=timeout,
            connect_timeout=connect_timeout, breaker=breaker,
        )  # fmt: skip
        return cast(FlashRedis, cluster)
    # redis-py's blocking pool: a caller waits (up to `timeout`) for one of `max_connections`
    # instead of failing with "Too many connections", and a connection is checked outside the
    # pool's lock. redis-py 5.x's plain pool awaits that check (a socket read that yields to
    # the event loop) while holding its lock, so under load every checkout waited for every
    # checkout before it, one loop turn each: in `make bench`'s live crowd the sale watcher's
    # read of the sale's state waited 0.7 to 4.4 s behind the subscriptions' slot heartbeats
    # (the read itself took a millisecond), and SOLD_OUT reached the subscribers seconds late.
    pool = BlockingConnectionPool.from_url(
        url,
        timeout=timeout,
        max_connections=max_connections,
        decode_responses=False,
        health_check_interval=30,
        socket_timeout=timeout,
        socket_connect_timeout=connect_timeout,
    )
    # The URL's scheme chose the transport (TCP, unix socket, TLS); keep it, pack faster.
    pool.connection_class = _FAST.get(pool.connection_class, pool.connection_class)
    client = cast(FlashRedis, FlashRedis.from_pool(pool))  # closing it closes its pool
    client.breaker = breaker or Breaker("redis", RedisUnavailable)
    endpoint = _endpoint(pool) if multiplex else None
    if endpoint is not None:
        client.mux = Multiplexer(endpoint, breaker=client.breaker)
    return client


def apply_timeouts(client: Redis, *, timeout: float | None, connect_timeout: float | None) -> None:
    """Give a client built elsewhere (arq's pools) our command and connect timeouts: for the
    connections it opens from now on and the idle ones it holds."""
    pool = client.connection_pool
    pool.connection_kwargs.update(socket_timeout=timeout, socket_connect_timeout=connect_timeout)
    for connection in pool._available_connections:
        connection.socket_timeout = timeout
        connection.socket_connect_timeout = connect_timeout


async def hot_get_many(redis: Redis, *keys: str) -> list[bytes | None]:
    """MGET over the multiplexed connection when the client has one, else over the pool: the
    buy path's token check reads a user's stamp and the stamps' completeness marker at once."""
    mux = getattr(redis, "mux", None)
    if mux is not None:
        values: list[bytes | None] = await mux.execute("MGET", *keys)
        return values
    found: list[bytes | None] = await redis.mget(keys)
    return found
