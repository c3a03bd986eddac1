"""What a QUEUED answer promises: the durability of the Redis that holds the reservations.

`SECKILL_DURABILITY=durable` (the default) answers a buy only once its reservation survives
Redis dying: Redis with `appendonly yes` and `appendfsync always` writes and fsyncs the AOF
before it sends any reply of that event-loop turn (redis-server's `beforeSleep` flushes the
AOF, then the replies), so the script's reply itself is the proof. The embedded Redis and the
compose Redis run that way. An external Redis that is not fsync-always but has a replica gets
a `WAIT 1 <SECKILL_REPLICA_WAIT_MS>` after each reservation on the same connection (Redis 7.0
and older have no WAITAOF): the reservation is then in two machines' memory. Otherwise the
setting cannot be met: each API process logs that once and `/readyz` reports it.

`fast` answers straight after the script; with `appendfsync everysec` about the last second of
acknowledged reservations can vanish with Redis (README "Failures"). Neither setting adds work
to the buy beyond reading `Runtime.durability` when no WAIT is needed.

On a Redis Cluster every primary is read, and `durable` is met only when every one runs
`appendonly yes` with `appendfsync always`: replicas are not waited for there (a WAIT would
have to follow each reservation on its own shard's connection).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import RedisError

from flashmart.core.settings import Durability, Settings

logger = logging.getLogger("flashmart.durability")


@dataclass(frozen=True)
class DurabilityPlan:
    """How this process keeps the durability setting on the Redis it found at start-up."""

    setting: Durability
    appendonly: str | None  # None: CONFIG GET is disabled or renamed on this Redis
    appendfsync: str | None
    replicas: int
    wait: tuple[int, int] | None = None  # (replicas, timeout ms) to WAIT for after a reserve
    warning: str | None = None  # the setting is not met

    @property
    def readiness(self) -> str:
        """The `/readyz` entry: `ok`, how the setting is met, or the warning."""
        if self.warning is not None:
            return f"warning: {self.warning}"
        if self.wait is not None:
            return f"ok: each reservation waits for {self.wait[0]} replica (WAIT)"
        return "ok"


async def _config(redis: Redis, name: str) -> str | None:
    try:
        found = await redis.config_get(name)
    except RedisError:  # CONFIG renamed or disabled (managed Redis): unknown
        return None
    value = found.get(name, found.get(name.encode()))
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


async def _replicas(redis: Redis) -> int:
    try:
        info = await redis.info("replication")
    except RedisError:
        return 0
    return int(info.get("connected_slaves", 0) or 0)


async def _cluster_config(redis: RedisCluster, name: str) -> str | None:
    """The setting on every primary: its value when they agree, `mixed` when not."""
    seen: set[str | None] = set()
    for node in redis.get_primaries():
        try:
            found = await redis.config_get(name, target_nodes=node)
        except RedisError:
            return None
        value = found.get(name, found.get(name.encode()))
        seen.add(value.decode() if isinstance(value, bytes) else value)
    if None in seen:
        return None
    return seen.pop() if len(seen) == 1 else "mixed"


async def check(redis: Redis, settings: Settings) -> DurabilityPlan:
    """Read the Redis's persistence settings and replicas; decide how to keep the setting."""
    if isinstance(redis, RedisCluster):
        await redis.initialize()
        appendonly = await _cluster_config(redis, "appendonly")
        appendfsync = await _cluster_config(redis, "appendfsync")
        replicas = 0  # not waited for on a cluster (module docstring)
    else:
        appendonly = await _config(redis, "appendonly")
        appendfsync = await _config(redis, "appendfsync")
        replicas = await _replicas(redis)
    plan = DurabilityPlan(settings.seckill_durability, appendonly, appendfsync, replicas)
    if settings.seckill_durability is Durability.FAST:
        if appendonly == "no":
            warning = "Redis runs without AOF (appendonly no): a Redis restart loses reservations"
            return _warn(replace(plan, warning=warning))
        return plan
    if appendonly == "yes" and appendfsync == "always":
        return plan
    if replicas >= 1:
        return replace(plan, wait=(1, settings.seckill_replica_wait_ms))
    seen = (
        "its persistence settings are unknown (CONFIG is disabled)"
        if appendonly is None or appendfsync is None
        else f"it runs with appendonly {appendonly}, appendfsync {appendfsync}"
    )
    if isinstance(redis, RedisCluster):
        warning = (
            f"SECKILL_DURABILITY=durable is not met on the Redis Cluster: {seen} "
            "(every primary read); "
            "acknowledged reservations can be lost with a node (set appendonly yes and "
            "appendfsync always on every primary; replicas are not waited for on a cluster)"
        )
    else:
        warning = (
            f"SECKILL_DURABILITY=durable is not met: Redis has no replica and {seen}; "
            "acknowledged reservations can be lost with Redis (set appendonly yes and "
            "appendfsync always, or add a replica)"
        )
    return _warn(replace(plan, warning=warning))


def _warn(plan: DurabilityPlan) -> DurabilityPlan:
    logger.warning("durability: %s", plan.warning)
    return plan
