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
from redis.exceptions import NoScriptError

from flashmart.seckill.store import needs_script

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

    async def renew_many(self, slots: list[tuple[str, str, int]]) -> list[bool]:
        """`acquire` for each (key, connection id, maximum), in one pipeline: one round trip
        for a round of heartbeats (ws_clock.py). Raises RedisError when Redis is away."""
        script = self._script
        for _ in range(2):
            async with self._redis.pipeline(transaction=False) as pipe:
                for key, connection_id, maximum in slots:
                    pipe.execute_command(
                        "EVALSHA", script.sha, 1, key, connection_id, maximum, self.stale_after_ms
                    )
                replies = await pipe.execute(raise_on_error=False)
            if not any(needs_script(reply) for reply in replies):
                return [int(reply) == 1 for reply in replies]
            await self._redis.script_load(script.script)  # Redis forgot it: nothing ran
        raise NoScriptError("the connection-slot script could not be loaded")

    async def release(self, key: str, connection_id: str) -> None:
        await self._redis.zrem(key, connection_id)

    async def holders(self, key: str) -> list[str]:
        """Connection ids holding a slot, dead ones not swept yet included (tests, operators)."""
        members = await self._redis.zrange(key, 0, -1)
        return [m.decode() if isinstance(m, bytes) else str(m) for m in members]
