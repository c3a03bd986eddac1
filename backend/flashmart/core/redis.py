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


def create_redis(url: str, *, max_connections: int = 200) -> Redis:
    pool = ConnectionPool.from_url(
        url, max_connections=max_connections, decode_responses=False, health_check_interval=30
    )
    # The URL's scheme chose the transport (TCP, unix socket, TLS); keep it, pack faster.
    pool.connection_class = _FAST.get(pool.connection_class, pool.connection_class)
    client: Redis = Redis.from_pool(pool)  # closing the client closes its pool
    return client
