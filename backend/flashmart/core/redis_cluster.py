"""The sale Redis as a Redis Cluster (`REDIS_URL=redis+cluster://host:port,host:port`).

`create_cluster` builds redis-py's asyncio `RedisCluster` for everything FlashMart keeps in the
sale Redis: sales (every key of one sale carries the hash tag `{ev:ID}`, so each script runs on
the shard that owns its slot), rate-limit buckets, token stamps, the product cache and the
subscription slots (one key per script call). What the cluster client lacks or refuses is
added here, so the services call it as they call a single Redis:

- `evalsha` inside pipelines (the worker settles a batch with the sale's script and its
  announcements in one round trip), routed by the script's keys.
- `publish`, also inside pipelines: classic pub/sub, sent to any node; the cluster bus carries
  each message to every node, where the broker's connection hears it (core/pubsub.py).
- `mget` of keys in different slots: one GET per slot (`mget_nonatomic`), as the key sets it
  serves (span contexts to link) need no atomicity.
- `pipeline(transaction=True)`: a cluster pipeline cannot MULTI; the callers' transactions hold
  one key each (the product cache, the development mailbox), whose commands still run in order
  on that key's node, only not isolated from other clients' commands in between.
- `mux`: the buy path's multiplexed connections, one per primary node, each command routed by
  its first key's slot (`ClusterMultiplexer`).

Every command and pipeline goes through the process's breaker, as on a single Redis.

A slot being migrated (a resharding) answers a command whose keys are split between the two
nodes with `TRYAGAIN`: the client is to try again a little later, once the keys have moved.
`ClusterMultiplexer` does so after a pause that doubles (TRYAGAIN_FIRST_PAUSE up to
TRYAGAIN_MAX_PAUSE), at most TRYAGAIN_RETRIES times; redis-py's client (commands, scripts,
pipelines) retries it itself, 16 tries, the later half 50 ms apart. A `TRYAGAIN` that does not
clear, or a cluster that answers `CLUSTERDOWN`, becomes the retryable `RedisUnavailable`
(`SERVICE_UNAVAILABLE` with `retryAfter`, a job retried by the worker), as a Redis that does
not answer does; it does not count as a connection failure in the breaker: the nodes answer.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from typing import Any

from redis.asyncio.cluster import ClusterNode, ClusterParser, ClusterPipeline, RedisCluster
from redis.crc import key_slot
from redis.exceptions import (
    AskError,
    ClusterDownError,
    ClusterError,
    MovedError,
    RedisError,
    TryAgainError,
)
from redis.typing import EncodableT, KeyT

from flashmart.core.breaker import Breaker, DependencyUnavailable, RedisUnavailable
from flashmart.core.outages import REDIS_OUTAGES, Backoff
from flashmart.core.redis_mux import Arg, Endpoint, Multiplexer
from flashmart.core.redis_urls import cluster_credentials, cluster_nodes

_SCRIPT_CALLS = {"EVALSHA", "EVAL", "EVALSHA_RO", "EVAL_RO"}
# TRYAGAIN (a slot mid-migration, the command's keys split between its two nodes): tried again
# after 20, 40, 80, 160, then 250 ms pauses, 8 times (~1.3 s in all), then `RedisUnavailable`.
TRYAGAIN_RETRIES = 8
TRYAGAIN_FIRST_PAUSE = 0.02
TRYAGAIN_MAX_PAUSE = 0.25
# MOVED and ASK replies followed in a row (no TRYAGAIN pause between them) before a command is
# given up as unavailable: a slot map still changing under it.
MAX_REDIRECTS = 5
# retryAfter of a buy whose slot stayed mid-migration (or a cluster that is down).
MIGRATING_RETRY_AFTER = 1.0


def cluster_unavailable(breaker: Breaker | None) -> DependencyUnavailable:
    """The retryable error of a command the cluster would not run for now (TRYAGAIN that did
    not clear, CLUSTERDOWN): the breaker's own error class, without counting a failure."""
    if breaker is None:
        return RedisUnavailable("redis", MIGRATING_RETRY_AFTER)
    return breaker.error(breaker.name, MIGRATING_RETRY_AFTER)


def _gave_up(exc: RedisError) -> bool:
    """redis-py's cluster client ran out of tries: its TTL of redirections and TRYAGAINs, or a
    TRYAGAIN/CLUSTERDOWN reply it passes on (a pipeline's)."""
    if isinstance(exc, TryAgainError | ClusterDownError):
        return True
    return type(exc) is ClusterError and "TTL exhausted" in str(exc)


class ClusterMultiplexer:
    """`await mux.execute("EVALSHA", sha, 2, key1, key2, arg)` on a cluster: the command goes
    to the multiplexed connection (core/redis_mux.py) of the primary that owns its first key's
    slot, one per node, opened on first use. Commands of one loop turn bound for one node share
    its write. A MOVED reply (the slot moved to another node after a resharding or failover)
    maps the slots again and sends the command once more, to the new owner; an ASK (its slot
    is being migrated and the keys are not on the old owner) sends it to the new node, right
    after ASKING on the same connection; a TRYAGAIN (its keys are split between the two
    nodes) sends it again to the slot's owner after a pause (module docstring). MGET of keys
    in different slots becomes one GET per key, sent together."""

    def __init__(
        self, cluster: RedisCluster, template: Endpoint, *, breaker: Breaker | None = None
    ) -> None:
        self.cluster = cluster
        self.template = template  # credentials and timeouts; host and port come per node
        self.breaker = breaker
        self.nodes: dict[str, Multiplexer] = {}
        self._remap = False
        self._maps = 0  # slot maps made so far (`_map_slots`)

    async def execute(self, *args: Arg) -> Any:
        name = str(args[0]).upper()
        if name == "MGET" and len(args) > 2:
            return list(await asyncio.gather(*(self.execute("GET", key) for key in args[1:])))
        if name in _SCRIPT_CALLS:
            if int(args[2]) < 1:
                raise RedisError(f"{name} without keys has no slot to route to")
            key = args[3]
        elif name == "SCRIPT":  # SCRIPT LOAD after a NOSCRIPT: to every node that has a mux
            return await self._on_every_node(args)
        else:
            key = args[1]
        if self._remap or not self.cluster.nodes_manager.slots_cache:
            self._remap = False
            await self._map_slots(self._maps)  # first use, or after an outage
        maps = self._maps
        try:
            return await self._node_for(key).execute(*args)
        except (AskError, TryAgainError, ClusterDownError) as reply:  # MovedError is an AskError
            return await self._redirected(key, args, reply, maps)
        except REDIS_OUTAGES:
            self._remap = True  # a node failed (or failed over): map the slots again next time
            raise

    async def _map_slots(self, seen: int) -> None:
        """Map the slots again (CLUSTER SLOTS), unless that was done since the caller's
        command went out (`seen`, the count of maps then): one map for every command that
        met the same MOVED. The maps run one at a time, under the cluster client's own
        initialisation lock: redis-py's `NodesManager.initialize` replaces every node object
        and closes the old ones, so a second map at the same time, ours or the client's, would
        close the connection the first is reading its reply on."""
        cluster: Any = self.cluster  # `_lock` is redis-py's, created on its first initialise
        if cluster._lock is None:
            cluster._lock = asyncio.Lock()
        async with cluster._lock:
            if self._maps != seen and self.cluster.nodes_manager.slots_cache:
                return
            await self.cluster.nodes_manager.initialize()
            self._maps += 1

    async def _redirected(
        self, key: Arg, args: tuple[Arg, ...], reply: RedisError, maps: int
    ) -> Any:
        """Follow the cluster's answers until the command runs: MOVED (to the new owner it
        names; the slots are mapped again for the next commands), ASK (to the importing node,
        asking), TRYAGAIN (a pause, then to the owner again); CLUSTERDOWN, TRYAGAIN more than
        TRYAGAIN_RETRIES times or more than MAX_REDIRECTS redirections: the retryable
        `RedisUnavailable`."""
        pauses = Backoff(TRYAGAIN_FIRST_PAUSE, TRYAGAIN_MAX_PAUSE)
        redirects = 0
        while True:
            asking = False
            if isinstance(reply, ClusterDownError):
                self._remap = True
                raise cluster_unavailable(self.breaker) from reply
            if isinstance(reply, TryAgainError):
                if pauses.attempts >= TRYAGAIN_RETRIES:
                    raise cluster_unavailable(self.breaker) from reply
                await asyncio.sleep(pauses.next())
                node, redirects = self._node_for(key), 0
            else:
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise cluster_unavailable(self.breaker) from reply
                if isinstance(reply, MovedError):  # the slot moved: to the node it names,
                    await self._map_slots(maps)  # and map them again
                    maps = self._maps
                    node = self._node_at(reply.host, reply.port)
                else:  # ASK: the slot is being migrated, the keys are not on its owner
                    assert isinstance(reply, AskError)
                    node, asking = self._node_at(reply.host, reply.port), True
            try:
                return await node.execute(*args, asking=asking)
            except (AskError, TryAgainError, ClusterDownError) as again:
                reply = again
            except REDIS_OUTAGES:
                self._remap = True
                raise

    def _node_for(self, key: Arg) -> Multiplexer:
        raw = key if isinstance(key, bytes) else str(key).encode()
        node = self.cluster.nodes_manager.get_node_from_slot(key_slot(raw))
        return self._node_at(node.host, int(node.port))

    def _node_at(self, host: str, port: int) -> Multiplexer:
        name = f"{host}:{port}"
        mux = self.nodes.get(name)
        if mux is None:
            endpoint = dataclasses.replace(self.template, host=host, port=port)
            mux = Multiplexer(endpoint, breaker=self.breaker, parser=ClusterParser)
            self.nodes[name] = mux
        return mux

    async def _on_every_node(self, args: tuple[Arg, ...]) -> Any:
        replies = await asyncio.gather(*(mux.execute(*args) for mux in self.nodes.values()))
        return replies[0] if replies else None

    async def aclose(self) -> None:
        for mux in self.nodes.values():
            await mux.aclose()
        self.nodes.clear()


class FlashRedisCluster(RedisCluster):
    """redis-py's cluster client with FlashMart's additions (module docstring): `mux`, the
    breaker around every command, `publish`, a cross-slot `mget` and single-key
    transactions."""

    COMMAND_FLAGS = {**RedisCluster.COMMAND_FLAGS, "PUBLISH": RedisCluster.DEFAULT_NODE}

    mux: ClusterMultiplexer | None = None
    breaker: Breaker = Breaker("redis", RedisUnavailable)

    async def execute_command(self, *args: EncodableT, **kwargs: Any) -> Any:
        breaker = self.breaker
        if not breaker.closed:
            breaker.admit()
        try:
            result = await super().execute_command(*args, **kwargs)
        except DependencyUnavailable:
            raise  # the breaker has judged it already
        except REDIS_OUTAGES as exc:
            raise breaker.tripped() from exc
        except RedisError as exc:  # an error reply: Redis is up
            breaker.reached()
            if _gave_up(exc):  # TRYAGAIN that did not clear, CLUSTERDOWN: retryable
                raise cluster_unavailable(breaker) from exc
            raise
        if breaker.failures:
            breaker.succeeded()
        return result

    async def publish(self, channel: str, message: EncodableT) -> int:
        """PUBLISH on any node: the cluster bus delivers it to subscribers on every node."""
        return int(await self.execute_command("PUBLISH", channel, message))

    async def mget(self, keys: KeyT | Sequence[KeyT], *args: KeyT) -> list[Any]:  # type: ignore[override]
        found: list[Any] = await self.mget_nonatomic(keys, *args)
        return found

    def pipeline(self, transaction: Any | None = None, shard_hint: Any | None = None) -> Any:
        """A cluster pipeline (`transaction` is ignored: see the module docstring)."""
        pipe = FlashClusterPipeline(self)  # type: ignore[abstract]  # redis-py types it so
        pipe.breaker = self.breaker
        return pipe

    async def aclose(self) -> None:
        if self.mux is not None:
            await self.mux.aclose()
        await super().aclose()


class FlashClusterPipeline(ClusterPipeline):
    """A cluster pipeline that may PUBLISH and EVALSHA (redis-py blocks both in pipelines; a
    script call goes to the node of its keys' slot, which the callers keep to one) and goes
    through the breaker. A command answered TRYAGAIN, ASK or MOVED is sent again on its own
    through the client (redis-py), so it is retried as the client's commands are; with
    `raise_on_error=False` one that did not clear, or a CLUSTERDOWN, is a `RedisUnavailable`
    in the replies."""

    breaker: Breaker

    def publish(self, channel: str, message: EncodableT) -> ClusterPipeline:
        return self.execute_command("PUBLISH", channel, message)

    def evalsha(  # type: ignore[override]  # queued: the reply comes with execute()
        self, sha: str, numkeys: int, *keys_and_args: EncodableT
    ) -> ClusterPipeline:
        return self.execute_command("EVALSHA", sha, numkeys, *keys_and_args)

    async def execute(self, raise_on_error: bool = True, allow_redirections: bool = True) -> Any:
        breaker = self.breaker
        if not breaker.closed:
            breaker.admit()
        try:
            result = await super().execute(raise_on_error, allow_redirections)
        except DependencyUnavailable:
            raise  # a command sent again on its own (after TRYAGAIN, ASK, MOVED) met it
        except REDIS_OUTAGES as exc:
            raise breaker.tripped() from exc
        except RedisError as exc:
            breaker.reached()
            if _gave_up(exc):
                raise cluster_unavailable(breaker) from exc
            raise
        if breaker.failures:
            breaker.succeeded()
        if not raise_on_error:  # a CLUSTERDOWN reply is kept as is by redis-py: retryable
            for index, reply in enumerate(result):
                if isinstance(reply, RedisError) and _gave_up(reply):
                    unavailable = cluster_unavailable(breaker)
                    unavailable.__cause__ = reply
                    result[index] = unavailable
        return result


def create_cluster(
    url: str,
    *,
    max_connections: int = 200,
    multiplex: bool = True,
    timeout: float | None = 2.0,
    connect_timeout: float | None = 2.0,
    breaker: Breaker | None = None,
) -> FlashRedisCluster:
    """The process's client for a `redis+cluster://` URL (core/redis_urls.py). It maps the
    slots on its first command."""
    username, password = cluster_credentials(url)
    client: FlashRedisCluster = FlashRedisCluster(
        startup_nodes=[ClusterNode(host, port) for host, port in cluster_nodes(url)],
        username=username,
        password=password,
        decode_responses=False,
        max_connections=max_connections,
        socket_timeout=timeout,
        socket_connect_timeout=connect_timeout,
        health_check_interval=30,
    )
    client.breaker = breaker or Breaker("redis", RedisUnavailable)
    if multiplex:
        template = Endpoint(
            username=username, password=password, timeout=timeout, connect_timeout=connect_timeout
        )
        client.mux = ClusterMultiplexer(client, template, breaker=client.breaker)
    return client
