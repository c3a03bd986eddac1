"""Subscription sockets per holder, counted across every API process in one Redis sorted set.

A holder is a signed-in user (`Keys.ws_connections(user_id)`) or, for anonymous sockets, the
client address (`Keys.ws_anonymous_connections(address)`). Each socket holds an entry
`connection id -> last heartbeat` in its holder's set. Taking a slot, and renewing it every
heartbeat, is one Lua call (`ws_connections.lua`) that first drops entries whose heartbeat is
older than three intervals:
a process that dies (SIGKILL, lost host) without closing its sockets cannot leak slots, they
free themselves within `3 * SUBSCRIPTION_HEARTBEAT_SECONDS`. A clean close removes its entry
at once. The clock is Redis's, so processes on hosts with skewed clocks agree.
"""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

SCRIPT = Path(__file__).with_name("ws_connections.lua").read_text()
STALE_AFTER_HEARTBEATS = 3


class ConnectionSlots:
    """Cheap to create per call; redis-py reloads the script after a NOSCRIPT."""

    def __init__(self, redis: Redis, *, heartbeat_seconds: float) -> None:
        self._redis = redis
        self._script = redis.register_script(SCRIPT)
        self.stale_after_ms = int(heartbeat_seconds * STALE_AFTER_HEARTBEATS * 1000)

    async def acquire(self, key: str, connection_id: str, *, maximum: int) -> bool:
        """Take a slot of the holder `key` for this connection, or renew the one it holds;
        False at the limit."""
        held = await self._script(keys=[key], args=[connection_id, maximum, self.stale_after_ms])
        return int(held) == 1

    async def release(self, key: str, connection_id: str) -> None:
        await self._redis.zrem(key, connection_id)

    async def holders(self, key: str) -> list[str]:
        """Connection ids holding a slot, dead ones not swept yet included (tests, operators)."""
        members = await self._redis.zrange(key, 0, -1)
        return [m.decode() if isinstance(m, bytes) else str(m) for m in members]
