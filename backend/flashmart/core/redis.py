"""The asyncio Redis client shared by a process."""

from __future__ import annotations

from typing import cast

import hiredis
from redis.asyncio import Redis
from redis.asyncio.connection import (
    AbstractConnection,
    Connection,
    ConnectionPool,
    SSLConnection,
    UnixDomainSocketConnection,
)
from redis.typing import EncodableT

from flashmart.core.redis_mux import Endpoint, Multiplexer

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
    (`flashmart.core.redis_mux`), or None where it does not apply (TLS, or turned off)."""

    mux: Multiplexer | None = None

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        if self.mux is not None:
            await self.mux.aclose()
        await super().aclose(close_connection_pool)


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


def create_redis(url: str, *, max_connections: int = 200, multiplex: bool = True) -> FlashRedis:
    pool = ConnectionPool.from_url(
        url, max_connections=max_connections, decode_responses=False, health_check_interval=30
    )
    # The URL's scheme chose the transport (TCP, unix socket, TLS); keep it, pack faster.
    pool.connection_class = _FAST.get(pool.connection_class, pool.connection_class)
    client = cast(FlashRedis, FlashRedis.from_pool(pool))  # closing it closes its pool
    endpoint = _endpoint(pool) if multiplex else None
    if endpoint is not None:
        client.mux = Multiplexer(endpoint)
    return client


async def hot_get_many(redis: Redis, *keys: str) -> list[bytes | None]:
    """MGET over the multiplexed connection when the client has one, else over the pool: the
    buy path's token check reads a user's stamp and the stamps' completeness marker at once."""
    mux = getattr(redis, "mux", None)
    if mux is not None:
        values: list[bytes | None] = await mux.execute("MGET", *keys)
        return values
    found: list[bytes | None] = await redis.mget(keys)
    return found
