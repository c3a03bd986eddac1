"""Subscription sockets per user, counted across every API process in one Redis sorted set.

Each signed-in socket holds an entry `connection id -> last heartbeat` in
`Keys.ws_connections(user_id)`. Taking a slot, and renewing it every heartbeat, is one Lua call
(`ws_connections.lua`) that first drops entries whose heartbeat is older than three intervals:
a process that dies (SIGKILL, lost host) without closing its sockets cannot leak slots, they
free themselves within `3 * SUBSCRIPTION_HEARTBEAT_SECONDS`. A clean close removes its entry
at once. The clock is Redis's, so processes on hosts with skewed clocks agree.
"""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from flashmart.core.keys import Keys

SCRIPT = Path(__file__).with_name("ws_connections.lua").read_text()
STALE_AFTER_HEARTBEATS = 3


class ConnectionSlots:
    """Cheap to create per call; redis-py reloads the script after a NOSCRIPT."""

    def __init__(self, redis: Redis, keys: Keys, *, heartbeat_seconds: float) -> None:
        self._redis = redis
        self._keys = keys
        self._script = redis.register_script(SCRIPT)
        self.stale_after_ms = int(heartbeat_seconds * STALE_AFTER_HEARTBEATS * 1000)

    async def acquire(self, user_id: int, connection_id: str, *, maximum: int) -> bool:
        """Take a slot for this connection, or renew the one it holds; False at the limit."""
        held = await self._script(
            keys=[self._keys.ws_connections(user_id)],
            args=[connection_id, maximum, self.stale_after_ms],
        )
        return int(held) == 1

    async def release(self, user_id: int, connection_id: str) -> None:
        await self._redis.zrem(self._keys.ws_connections(user_id), connection_id)

    async def holders(self, user_id: int) -> list[str]:
        """Connection ids holding a slot, dead ones not swept yet included (tests, operators)."""
        members = await self._redis.zrange(self._keys.ws_connections(user_id), 0, -1)
        return [m.decode() if isinstance(m, bytes) else str(m) for m in members]
