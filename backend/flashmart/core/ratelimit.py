"""Rate limiting in Redis, shared by every domain (login, registration, seckill, ...).

Two shapes, each one Lua script so concurrent API processes never race on a key:

- a **token bucket** (`Limit`, `ratelimit.lua`) lets `capacity` calls through at once and
  refills them evenly over `period_seconds`: `Limit(10, 900)` allows a burst of 10, then one
  more call every 90 s;
- a **back-off** (`Backoff`, `backoff.lua`) lets `free` attempts through, then makes each next
  one wait twice as long as the one before, up to a cap: for attempts that should stay cheap
  for a person who slips a few times and grow costly for a machine that keeps trying (failed
  sign-ins). The caller clears the record when an attempt turns out good.

Key names come from `flashmart.core.keys`; `client_subject` says which part of a client address
a limit counts.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis

from flashmart.core.errors import rate_limited

HERE = Path(__file__).resolve().parent
SCRIPT = (HERE / "ratelimit.lua").read_text()
BACKOFF_SCRIPT = (HERE / "backoff.lua").read_text()
IPV6_PREFIX = 64  # one subscriber's network: a host gets a whole /64 and may pick any address in it


@dataclass(frozen=True)
class Limit:
    capacity: int
    period_seconds: float

    @property
    def rate(self) -> float:
        """Tokens added back per second."""
        return self.capacity / self.period_seconds


@dataclass(frozen=True)
class Backoff:
    """`free` attempts at once, then a wait of `base_seconds`, doubling per attempt up to
    `max_seconds`; the record is forgotten `forget_seconds` after the latest attempt. The
    first attempt always goes through (`free` is at least 1)."""

    free: int
    base_seconds: float
    max_seconds: float
    forget_seconds: float

    def __post_init__(self) -> None:
        if self.free < 1:
            raise ValueError("a back-off lets at least the first attempt through")

    def delay(self, attempts: int) -> float:
        """The wait after `attempts` recorded attempts (what backoff.lua computes)."""
        if attempts < self.free:
            return 0.0
        exponent = min(attempts - self.free, 60)  # past any sane cap; 2.0**1024 overflows
        return float(min(self.max_seconds, self.base_seconds * 2.0**exponent))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: float  # tokens left (bucket); attempts recorded so far (back-off)
    retry_after: float  # seconds until the call would be allowed; 0 when it was


def client_subject(address: str) -> str:
    """What per-address limits count for a client address: an IPv4 address as it is, an IPv6
    address by its /64 network (one host may use any of its 2**64 addresses), an IPv4-mapped
    IPv6 address as the IPv4 address. Anything else (a test client's name) as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        network = ipaddress.IPv6Network((ip, IPV6_PREFIX), strict=False)
        return network.with_prefixlen
    return str(ip)


class RateLimiter:
    """Token buckets and back-offs in one Redis. Cheap to create; redis-py reloads the scripts
    after NOSCRIPT."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._script = redis.register_script(SCRIPT)
        self._backoff = redis.register_script(BACKOFF_SCRIPT)

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

    async def attempt(self, key: str, backoff: Backoff) -> Decision:
        """Record an attempt if its delay has passed (backoff.lua); a refused one records
        nothing and says how long to wait."""
        allowed, recorded, wait = await self._backoff(
            keys=[key],
            args=[
                backoff.free,
                repr(float(backoff.base_seconds)),
                repr(float(backoff.max_seconds)),
                max(1, int(backoff.forget_seconds * 1000)),
            ],
        )
        return Decision(
            allowed=int(allowed) == 1, remaining=float(recorded), retry_after=float(wait)
        )

    async def clear(self, key: str) -> None:
        """Forget a back-off record (the attempts it counted turned out good)."""
        await self._redis.delete(key)
