"""Token-bucket rate limiting in Redis, shared by every domain (login, seckill, ...).

A `Limit` lets `capacity` calls through at once and refills them evenly over `period_seconds`:
`Limit(10, 900)` allows a burst of 10, then one more call every 90 s. The bucket arithmetic is
one Lua script (`ratelimit.lua`), so concurrent API processes never race on a bucket. Key names
come from `flashmart.core.keys`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis

from flashmart.core.errors import rate_limited

SCRIPT = Path(__file__).with_name("ratelimit.lua").read_text()


@dataclass(frozen=True)
class Limit:
    capacity: int
    period_seconds: float

    @property
    def rate(self) -> float:
        """Tokens added back per second."""
        return self.capacity / self.period_seconds


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: float
    retry_after: float  # seconds until the call would be allowed; 0 when it was


class RateLimiter:
    """Token buckets in one Redis. Cheap to create; redis-py reloads the script after NOSCRIPT."""

    def __init__(self, redis: Redis) -> None:
        self._script = redis.register_script(SCRIPT)

    async def hit(self, key: str, limit: Limit, *, cost: float = 1) -> Decision:
        """Take `cost` tokens from the bucket if it has them; a denied call takes nothing."""
        allowed, remaining, wait = await self._script(
            keys=[key], args=[limit.capacity, repr(limit.rate), repr(cost)]
        )
        return Decision(
            allowed=int(allowed) == 1, remaining=float(remaining), retry_after=float(wait)
        )

    async def refund(self, key: str, limit: Limit, *, amount: float = 1) -> None:
        """Give tokens back, e.g. after a login attempt turned out to be legitimate."""
        await self.hit(key, limit, cost=-amount)

    async def consume(self, *buckets: tuple[str, Limit]) -> None:
        """Take one token from every bucket, or from none and raise `RATE_LIMITED`.

        `retryAfter` is the longest wait among the buckets that said no.
        """
        taken: list[tuple[str, Limit]] = []
        waits: list[float] = []
        for key, limit in buckets:
            decision = await self.hit(key, limit)
            if decision.allowed:
                taken.append((key, limit))
            else:
                waits.append(decision.retry_after)
        if waits:
            for key, limit in taken:
                await self.refund(key, limit)
            raise rate_limited(max(waits))
