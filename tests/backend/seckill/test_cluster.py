"""A sale's scripts on a real 3-node Redis Cluster: every key of one sale is in one slot, so
each script runs on the shard that owns it, and sales spread over the shards.

The cluster is three redis-server processes started by the test
(`backend/flashmart/core/embedded_cluster.py`), the 16,384 slots split between them. The arq
queue is not a sale's key: on a cluster it lives on a Redis of its own (QUEUE_REDIS_URL), and the
script refuses to be called with it (the negative check below). The application on a cluster
(API and worker processes, the cluster client): test_cluster_sales.py.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import RedisClusterException

from flashmart import scrape
from flashmart.core import embedded_redis
from flashmart.core.breaker import RedisUnavailable, State
from flashmart.core.embedded_cluster import cluster_url, local_cluster, redis_cluster
from flashmart.core.keys import Keys
from flashmart.core.redis import hot_get_many
from flashmart.core.redis_cluster import TRYAGAIN_RETRIES
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from flashmart.seckill.events import warm_up
from flashmart.seckill.store import (
    ReserveCode,
    ReserveResult,
    SaleStore,
    TicketSnapshot,
    room_keys,
)
from tests.backend.helpers import serving, token_for
from tests.backend.seckill.factories import sale, shoppers

EVENTS = list(range(1, 9))
UNITS = 5
SHOPPERS = 12  # per sale: more than its units


@pytest.fixture
def cluster_ports(tmp_path: Path) -> Iterator[list[int]]:
    with redis_cluster(tmp_path) as ports:
        yield ports


@pytest.fixture
async def cluster(cluster_ports: list[int]) -> AsyncIterator[RedisCluster]:
    client = RedisCluster(host="127.0.0.1", port=cluster_ports[0])
    await client.initialize()
    try:
        yield client
    finally:
        await client.aclose()


def _sale_keys(keys: Keys, event_id: int) -> list[str]:
    return [
        keys.event_meta(event_id), keys.event_stock(event_id), keys.event_buyers(event_id),
        keys.event_ledger(event_id), keys.event_pending(event_id), keys.event_claims(event_id),
        keys.event_rate_user(event_id, 7), keys.event_rate_ip(event_id, "10.9.0.1"),
        keys.event_attempts(event_id), *room_keys(keys, event_id),
    ]  # fmt: skip


def as_redis(cluster: RedisCluster) -> Redis:
    """`SaleStore` takes a Redis client; a cluster client answers the same calls."""
    return cast(Redis, cluster)


async def _reserve(
    cluster: RedisCluster, keys: Keys, event_id: int, user_id: int, **kw: object
) -> ReserveResult:
    options: dict[str, Any] = {
        "quantity": 1, "ticket_id": secrets.token_hex(16), "client_ip": "10.9.0.1",
        "user_rate": 1000.0, "user_burst": 1000, "ip_rate": 1e9, "ip_burst": 10**9,
        "enqueue": False, **kw,
    }  # fmt: skip
    redis_ = as_redis(cluster)
    return await SaleStore(redis_, keys).reserve(event_id=event_id, user_id=user_id, **options)


async def test_a_sale_lives_in_one_slot_and_sales_spread_over_the_shards(
    cluster: RedisCluster,
) -> None:
    keys = Keys(f"fmcl:{secrets.token_hex(4)}:")
    owners = set()
    for event_id in EVENTS:
        slots = {await cluster.cluster_keyslot(key) for key in _sale_keys(keys, event_id)}
        assert len(slots) == 1, f"sale {event_id} spans slots {slots}"
        owners.add(cluster.get_node_from_key(keys.event_stock(event_id)).port)
    assert len(owners) >= 2, "every sale landed on one shard"


async def test_concurrent_reservations_on_a_cluster_sell_exactly_the_stock(
    cluster: RedisCluster,
) -> None:
    keys = Keys(f"fmcl:{secrets.token_hex(4)}:")
    sales = SaleStore(as_redis(cluster), keys)
    now_ms = int(time.time() * 1000)
    for event_id in EVENTS:
        loaded = await sales.load(
            event_id=event_id, starts_ms=now_ms - 60_000, ends_ms=now_ms + 3_600_000,
            per_user_limit=1, total=UNITS, snapshot=TicketSnapshot(live=[], dead=[]),
        )  # fmt: skip
        assert loaded is not None and loaded.remaining == UNITS

    attempts = [(e, u) for e in EVENTS for u in range(1, SHOPPERS + 1) for _ in range(2)]
    results = await asyncio.gather(*(_reserve(cluster, keys, e, u) for e, u in attempts))

    for event_id in EVENTS:
        codes = [r.code for (e, _), r in zip(attempts, results, strict=True) if e == event_id]
        assert codes.count(ReserveCode.OK) == UNITS
        assert codes.count(ReserveCode.OK) + codes.count(ReserveCode.SOLD_OUT) + (
            codes.count(ReserveCode.ALREADY_PURCHASED)
        ) == len(codes)
        entries = await sales.ledger(event_id)
        assert len(entries) == UNITS and len({e.user_id for e in entries}) == UNITS
        assert await sales.pending_count(event_id) == UNITS
    states = await sales.read_states(EVENTS)
    assert {e: (s.remaining, s.sold_out) for e, s in states.items()} == {
        e: (0, True) for e in EVENTS
    }

    # The worker's side on the same shards: claim a batch, settle it, release one unit.
    event_id = EVENTS[0]
    claimed = await sales.claim(
            event_id=event_id, ticket_id=None, batch=50, lifetime_ms=5000, token="t",
    )  # fmt: skip
    assert len(claimed.entries) == UNITS
    first, *rest = claimed.entries
    settled = await sales.settle(
            event_id=event_id, states={e.ticket_id: "persisted" for e in rest},
    )  # fmt: skip
    assert settled == UNITS - 1
    released = await sales.release(
            event_id=event_id, ticket_id=first.ticket_id, user_id=first.user_id, quantity=1,
    )  # fmt: skip
    assert released == 1
    again = await sales.release(
            event_id=event_id, ticket_id=first.ticket_id, user_id=first.user_id, quantity=1,
    )  # fmt: skip
    assert again == 0  # exactly once, on a cluster too
    state = (await sales.read_states([event_id]))[event_id]
    assert (state.remaining, state.sold_out) == (1, False)


async def test_the_queue_is_not_a_sales_key(cluster: RedisCluster) -> None:
    """With the arq job written by the script, the call names keys of two slots: a cluster
    refuses it, which is why a cluster keeps the queue apart."""
    keys = Keys(f"fmcl:{secrets.token_hex(4)}:")
    assert await cluster.cluster_keyslot(keys.queue) != await cluster.cluster_keyslot(
        keys.event_stock(1)
    )
    with pytest.raises(RedisClusterException, match="same key slot"):
        await _reserve(cluster, keys, 1, 1, enqueue=True)


# --- the application's cluster client (core/redis_cluster.py) -------------------------------
@pytest.fixture
async def cluster_runtime(
    cluster_ports: list[int], settings: Settings, tmp_path: Path
) -> AsyncIterator[Runtime]:
    """The process's Runtime on the cluster (REDIS_URL=redis+cluster://...), the queue on a
    private plain Redis, the API's pub/sub broker on."""
    queue = embedded_redis.start(tmp_path / "queue", reuse=False)
    update = {"redis_url": cluster_url(cluster_ports), "queue_redis_url": queue.url}
    try:
        async with Runtime.open(settings.model_copy(update=update), broker=True) as runtime:
            yield runtime
    finally:
        queue.stop()


async def test_the_buy_path_multiplexes_one_connection_per_node(
    cluster_runtime: Runtime,
) -> None:
    runtime = cluster_runtime
    cluster: Any = runtime.redis
    assert isinstance(cluster, RedisCluster)
    keys = runtime.keys
    sales = SaleStore.of(runtime)
    now_ms = int(time.time() * 1000)
    for event_id in EVENTS:
        await sales.load(
            event_id=event_id, starts_ms=now_ms - 60_000, ends_ms=now_ms + 3_600_000,
            per_user_limit=1, total=UNITS, snapshot=TicketSnapshot(live=[], dead=[]),
        )  # fmt: skip
    options: dict[str, Any] = {
        "quantity": 1, "client_ip": "10.9.0.1", "user_rate": 1000.0, "user_burst": 1000,
        "ip_rate": 1e9, "ip_burst": 10**9, "enqueue": runtime.settings.enqueues_in_script,
    }  # fmt: skip
    assert options["enqueue"] is False  # the queue is apart
    results = await asyncio.gather(
        *(
            sales.reserve(event_id=e, user_id=u, ticket_id=secrets.token_hex(8), **options)
            for e in EVENTS
            for u in range(SHOPPERS)
        )
    )
    assert [r.code for r in results].count(ReserveCode.OK) == UNITS * len(EVENTS)
    owners = {cluster.get_node_from_key(keys.event_stock(e)).name for e in EVENTS}
    mux = cluster.mux
    assert set(mux.nodes) == owners  # one multiplexed connection per node that owns a sale
    per_node = {name: node.stats for name, node in mux.nodes.items()}
    assert all(stats.connections == 1 for stats in per_node.values())
    # Many buys of one loop turn shared each node's writes.
    assert all(stats.writes < stats.commands for stats in per_node.values())
    # The scrape-time gauges read the sales on the cluster and the queue on its own Redis.
    await scrape._redis_figures(runtime)
    sample = REGISTRY.get_sample_value
    assert sample("flashmart_seckill_stock_remaining") == 0  # every sale sold out
    assert sample("flashmart_seckill_reservations_pending") == UNITS * len(EVENTS)
    scrape._pools(runtime)  # the cluster client's connections, summed over its nodes
    idle = sample("flashmart_redis_pool_connections", {"pool": "main", "state": "idle"})
    assert idle is not None and idle >= 1
    # The token check's read of two keys in different slots: one GET per slot.
    await cluster.set(keys.user_tokens_valid_after(7), b"123")
    stamp, complete = await hot_get_many(
        runtime.redis, keys.user_tokens_valid_after(7), keys.token_stamps_complete
    )
    assert (stamp, complete) == (b"123", None)


async def test_pub_sub_on_a_cluster_hears_every_node(
    cluster_runtime: Runtime, cluster_ports: list[int]
) -> None:
    """The broker listens on one node; a message published on any node reaches it (the
    cluster bus), and so does one sent through the cluster client."""
    runtime = cluster_runtime
    assert runtime.broker is not None
    channel = runtime.keys.channel("test", "1")
    async with runtime.broker.listen(channel) as listener:
        for port in cluster_ports:
            node = Redis(port=port)
            try:
                await node.publish(channel, f"from {port}")
            finally:
                await node.aclose()
            assert await asyncio.wait_for(listener.get(), 5) == f"from {port}".encode()
        await runtime.redis.publish(channel, "through the client")
        assert await asyncio.wait_for(listener.get(), 5) == b"through the client"


async def test_a_cluster_without_a_queue_redis_is_refused(
    cluster_ports: list[int], settings: Settings
) -> None:
    with pytest.raises(RuntimeError, match="set QUEUE_REDIS_URL"):
        async with Runtime.open(settings, redis_url=cluster_url(cluster_ports)):
            pass


async def test_durability_is_read_from_every_primary(cluster_runtime: Runtime) -> None:
    """The test's nodes keep no AOF: `durable` is not met, and no replica is waited for."""
    plan = cluster_runtime.durability
    assert plan is not None and plan.setting.value == "durable"
    assert (plan.appendonly, plan.replicas, plan.wait) == ("no", 0, None)
    assert plan.warning is not None and "Redis Cluster" in plan.warning


async def test_the_buy_path_follows_moved_and_ask_redirections(
    cluster_runtime: Runtime, cluster_ports: list[int]
) -> None:
    """MOVED (the client's slot map is stale): the slots are mapped again and the command
    goes to the owner. ASK (the slot is being migrated and the key is not on the old owner
    any more): the command goes to the new node, right after ASKING."""
    runtime = cluster_runtime
    cluster: Any = runtime.redis
    key = runtime.keys.event_stock(1)
    await cluster.set(key, b"7")
    slot = await cluster.cluster_keyslot(key)
    owner = cluster.get_node_from_key(key)
    other = next(n for n in cluster.get_primaries() if n.name != owner.name)
    cluster.nodes_manager.slots_cache[slot] = [other]  # a stale map: MOVED comes back
    assert await cluster.mux.execute("GET", key) == b"7"
    assert cluster.get_node_from_key(key).name == owner.name  # mapped again

    # Migrate the slot: owner MIGRATING to other, other IMPORTING it. A key the owner no
    # longer has is answered with ASK; the command then runs on the importing node.
    moved_key = runtime.keys.event_meta(1)  # same slot, not on the owner
    ids = {n.name: (await cluster.cluster_myid(n)) for n in (owner, other)}
    owner_client, other_client = Redis(port=owner.port), Redis(port=other.port)
    try:
        await other_client.execute_command("CLUSTER", "SETSLOT", slot, "IMPORTING", ids[owner.name])
        await owner_client.execute_command("CLUSTER", "SETSLOT", slot, "MIGRATING", ids[other.name])
        assert await cluster.mux.execute("GET", moved_key) is None  # asked the importing node
        asked = (await other_client.info("commandstats")).get("cmdstat_asking", {})
        assert asked.get("calls", 0) >= 1
        assert await cluster.mux.execute("GET", key) == b"7"  # still on the owner
    finally:
        for client in (owner_client, other_client):
            await client.execute_command("CLUSTER", "SETSLOT", slot, "NODE", ids[owner.name])
            await client.aclose()


async def _slot_maps(cluster: Any) -> int:
    """How many CLUSTER SLOTS the primaries have answered (INFO commandstats)."""
    total = 0
    for node in cluster.get_primaries():
        async with Redis(port=node.port) as client:
            found = (await client.info("commandstats")).get("cmdstat_cluster|slots", {})
            total += int(found.get("calls", 0))
    return total


async def test_buys_that_meet_one_moved_together_map_the_slots_once(
    cluster_runtime: Runtime,
) -> None:
    """Forty buys sent on a stale slot map all meet MOVED at once. They map the slots again
    once, not forty times: redis-py's map replaces every node object and closes the old ones,
    so maps at the same time closed the connection another was reading (the buys failed with
    `Connection closed by server`). Every buy then runs on the owner."""
    runtime = cluster_runtime
    cluster: Any = runtime.redis
    event_id, units, buyers = 4, 15, 40
    sales = await _warm_sale(runtime, event_id, units)
    stock = runtime.keys.event_stock(event_id)
    slot = await cluster.cluster_keyslot(stock)
    owner = cluster.get_node_from_key(stock)
    other = next(n for n in cluster.get_primaries() if n.name != owner.name)
    rounds = []
    for _ in range(3):
        cluster.nodes_manager.slots_cache[slot] = [other]  # a stale map: MOVED comes back
        maps_before, answered_before = cluster.mux._maps, await _slot_maps(cluster)
        results = await asyncio.gather(
            *(_buy(runtime, sales, event_id, u) for u in range(buyers)), return_exceptions=True
        )
        failed = [r for r in results if isinstance(r, BaseException)]
        assert failed == [], failed[:3]
        assert cluster.mux._maps == maps_before + 1
        assert await _slot_maps(cluster) == answered_before + 1
        assert cluster.get_node_from_key(stock).name == owner.name  # mapped again
        rounds.append([r.code for r in results if isinstance(r, ReserveResult)])
    first, *again = rounds
    assert first.count(ReserveCode.OK) == units
    assert first.count(ReserveCode.SOLD_OUT) == buyers - units
    for codes in again:  # the same forty shoppers, the sale sold out: nothing more sold
        assert len(codes) == buyers and ReserveCode.OK not in codes
    entries = await sales.ledger(event_id)
    winners = {e.user_id for e in entries}
    assert len(entries) == len(winners) == units and winners <= set(range(buyers))


# --- a slot migrated under the buy path: ASK and TRYAGAIN -----------------------------------
async def _errorstat(client: Redis, error: str) -> int:
    """How many `error` replies (ASK, TRYAGAIN, ...) the node has sent (INFO errorstats)."""
    found = (await client.info("errorstats")).get(f"errorstat_{error}", {})
    return int(found.get("count", 0)) if isinstance(found, dict) else 0


async def _migrate(source: Redis, port: int, keys: list[bytes]) -> None:
    """MIGRATE `keys` from `source` to the node at `port` (a slot being migrated)."""
    await source.execute_command("MIGRATE", "127.0.0.1", port, "", 0, 5000, "KEYS", *keys)


class _SlotMove:
    """A hand-made migration of `key`'s slot from its owner (`source`) to another primary
    (`target`): `start` marks the slot IMPORTING/MIGRATING and moves `key` alone (the slot's
    keys split: TRYAGAIN), `move_rest` moves the other keys (the owner has none: ASK),
    `assign` gives the slot to the new node (the importing node first, then the others)."""

    def __init__(self, cluster: Any, key: str) -> None:
        self.cluster, self.key = cluster, key
        self.owner = cluster.get_node_from_key(key)
        self.other = next(n for n in cluster.get_primaries() if n.name != self.owner.name)
        self.nodes = {n.name: Redis(port=n.port) for n in cluster.get_primaries()}
        self.source, self.target = self.nodes[self.owner.name], self.nodes[self.other.name]

    async def start(self) -> None:
        cluster = self.cluster
        self.slot = await cluster.cluster_keyslot(self.key)
        self.ids = {n.name: (await cluster.cluster_myid(n)) for n in cluster.get_primaries()}
        owner, other = self.ids[self.owner.name], self.ids[self.other.name]
        await self.target.execute_command("CLUSTER", "SETSLOT", self.slot, "IMPORTING", owner)
        await self.source.execute_command("CLUSTER", "SETSLOT", self.slot, "MIGRATING", other)
        await _migrate(self.source, self.other.port, [self.key.encode()])

    async def move_rest(self) -> None:
        get_keys = ("CLUSTER", "GETKEYSINSLOT", self.slot, 100)
        while keys := await self.source.execute_command(*get_keys):
            await _migrate(self.source, self.other.port, keys)

    async def assign(self) -> None:
        owner, other = self.owner.name, self.other.name
        for name in sorted(self.nodes, key=lambda name: (name != other, name != owner)):
            await self.nodes[name].execute_command(
                "CLUSTER", "SETSLOT", self.slot, "NODE", self.ids[other]
            )

    async def aclose(self) -> None:
        for node in self.nodes.values():
            await node.aclose()


async def _warm_sale(runtime: Runtime, event_id: int, units: int) -> SaleStore:
    sales = SaleStore.of(runtime)
    now_ms = int(time.time() * 1000)
    loaded = await sales.load(
        event_id=event_id, starts_ms=now_ms - 60_000, ends_ms=now_ms + 3_600_000,
        per_user_limit=1, total=units, snapshot=TicketSnapshot(live=[], dead=[]),
    )  # fmt: skip
    assert loaded is not None and loaded.remaining == units
    return sales


def _buy(runtime: Runtime, sales: SaleStore, event_id: int, user_id: int) -> Any:
    return sales.reserve(
        event_id=event_id, user_id=user_id, quantity=1, ticket_id=secrets.token_hex(8),
        client_ip="10.9.0.1", user_rate=1000.0, user_burst=1000, ip_rate=1e9, ip_burst=10**9,
        enqueue=runtime.settings.enqueues_in_script,
    )  # fmt: skip


async def test_buys_during_a_slot_migration_meet_ask_and_tryagain_and_sell_exactly_the_stock(
    cluster_runtime: Runtime,
) -> None:
    """A sale's slot is migrated by hand (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE) while
    shoppers buy. With part of the sale's keys moved, the reserve script's keys are split
    between the two nodes: the owner answers TRYAGAIN and the buy path pauses and tries again.
    With every key moved, the owner answers ASK and the importing node, missing the new
    shoppers' rate-limit keys, TRYAGAIN. Once the slot is the new node's (SETSLOT NODE), the
    owner answers MOVED and every buy runs there: exactly the stock sold, nothing lost."""
    runtime = cluster_runtime
    cluster: Any = runtime.redis
    event_id, units, before, during = 3, 20, 5, 40
    sales = await _warm_sale(runtime, event_id, units)
    first = await asyncio.gather(*(_buy(runtime, sales, event_id, u) for u in range(before)))
    assert [r.code for r in first] == [ReserveCode.OK] * before

    stock = runtime.keys.event_stock(event_id)
    move = _SlotMove(cluster, stock)
    source, target, other = move.source, move.target, move.other
    try:
        await move.start()  # the keys split: TRYAGAIN
        tryagain_before = await _errorstat(source, "TRYAGAIN")
        buying = asyncio.gather(
            *(_buy(runtime, sales, event_id, u) for u in range(before, before + during))
        )
        await asyncio.sleep(0.15)  # the buys meet TRYAGAIN and pause
        assert not buying.done()
        assert await _errorstat(source, "TRYAGAIN") > tryagain_before
        await move.move_rest()  # the owner has none left and answers ASK
        ask_before = await _errorstat(source, "ASK")
        await asyncio.sleep(0.3)  # retries meet ASK, then TRYAGAIN on the importing node
        assert await _errorstat(source, "ASK") > ask_before
        asked = (await target.info("commandstats")).get("cmdstat_asking", {})
        assert asked.get("calls", 0) >= 1
        assert await _errorstat(target, "TRYAGAIN") >= 1
        await move.assign()  # the slot is the new node's
        results = await asyncio.wait_for(buying, 10)
        counts = [
            await n.execute_command("CLUSTER", "COUNTKEYSINSLOT", move.slot)
            for n in (source, target)
        ]
        assert counts[0] == 0 and counts[1] > 0  # every key of the sale on the new node
    finally:
        await move.aclose()

    codes = [r.code for r in results]
    assert codes.count(ReserveCode.OK) == units - before  # exactly the stock left
    assert codes.count(ReserveCode.SOLD_OUT) == during - (units - before)
    assert cluster.get_node_from_key(stock).name == other.name  # the slot is mapped again
    entries = await sales.ledger(event_id)
    assert len(entries) == units and len({e.user_id for e in entries}) == units
    assert await sales.pending_count(event_id) == units
    state = (await sales.read_states([event_id]))[event_id]
    assert (state.remaining, state.sold_out) == (0, True)


BUY = """
mutation Buy($e: ID!) {
  seckillBuy(eventId: $e) { ticket { id status } userErrors { code } }
}
"""


async def test_a_tryagain_that_never_clears_answers_service_unavailable(
    cluster_ports: list[int], app_factory: Any, tmp_path: Path
) -> None:
    """A migration stuck half-way (the sale's keys split between two nodes) answers every buy
    TRYAGAIN: the buy path tries TRYAGAIN_RETRIES times more, pausing, then answers the
    retryable SERVICE_UNAVAILABLE with retryAfter, never INTERNAL_SERVER_ERROR; so do the
    worker's script calls and pipelines (a `RedisUnavailable`, which it retries). The breaker
    stays closed: the nodes answer. Once the migration is finished, buys go through."""
    queue = embedded_redis.start(tmp_path / "queue", reuse=False)
    app = app_factory(
        redis_url=cluster_url(cluster_ports), queue_redis_url=queue.url,
        seckill_user_rate=1000.0, seckill_user_burst=1000,
        seckill_ip_rate=1_000_000.0, seckill_ip_burst=1_000_000,
    )  # fmt: skip
    try:
        async with serving(app, "http://t") as client:
            runtime: Runtime = app.state.runtime
            cluster: Any = runtime.redis
            event = await sale(10)
            await warm_up(runtime, event.id)
            gid = encode_id("SeckillEvent", event.id)
            users = await shoppers(4)

            async def buy(user_id: int) -> tuple[dict[str, Any], httpx.Headers]:
                response = await client.post(
                    "/graphql", json={"query": BUY, "variables": {"e": gid}},
                    headers={"authorization": f"Bearer {token_for(user_id)}"},
                )  # fmt: skip
                assert response.status_code == 200, response.text
                return response.json(), response.headers

            body, _ = await buy(users[0].id)
            assert body["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED", body

            move = _SlotMove(cluster, runtime.keys.event_stock(event.id))
            source = move.source
            try:
                await move.start()  # and no further

                tried = await _errorstat(source, "TRYAGAIN")
                started = time.monotonic()
                body, headers = await buy(users[1].id)
                elapsed = time.monotonic() - started
                assert body["data"] is None, body
                [error] = body["errors"]
                assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfter": 1}
                assert headers["retry-after"] == "1"
                # The first call and TRYAGAIN_RETRIES more, paused (~1.3 s in all).
                assert await _errorstat(source, "TRYAGAIN") - tried == TRYAGAIN_RETRIES + 1
                assert 1.0 < elapsed < 5.0, elapsed
                assert runtime.redis.breaker.state is State.CLOSED

                # The worker's calls: a script through the client, and one in a pipeline.
                sales = SaleStore.of(runtime)
                with pytest.raises(RedisUnavailable):
                    await sales.settle(event_id=event.id, states={"t": "persisted"})
                async with cluster.pipeline(transaction=False) as pipe:
                    sales.settle_in(pipe, event_id=event.id, states={"t": "persisted"})
                    with pytest.raises(RedisUnavailable):
                        await pipe.execute()
                async with cluster.pipeline(transaction=False) as pipe:
                    sales.settle_in(pipe, event_id=event.id, states={"t": "persisted"})
                    [reply] = await pipe.execute(raise_on_error=False)
                assert isinstance(reply, RedisUnavailable)
                assert runtime.redis.breaker.state is State.CLOSED

                # The migration finished: the sale is the new node's, and buys go through.
                await move.move_rest()
                await move.assign()
            finally:
                await move.aclose()
            for user in users[1:]:
                body, _ = await buy(user.id)
                assert body["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED", body
            state = (await SaleStore.of(runtime).read_states([event.id]))[event.id]
            assert state.remaining == 10 - len(users)
    finally:
        queue.stop()


async def test_a_failed_cluster_answers_the_buy_path_retryably(
    settings: Settings, tmp_path: Path
) -> None:
    """A primary without a replica dies: once the others mark it failed, the cluster refuses
    keyed commands with CLUSTERDOWN (cluster-require-full-coverage), for the sales on the
    living nodes too. The buy path, the worker's script calls and pipelines get the retryable
    `RedisUnavailable` (SERVICE_UNAVAILABLE), not a raw error; the breaker stays closed."""
    queue = embedded_redis.start(tmp_path / "queue", reuse=False)
    try:
        with local_cluster(tmp_path / "cluster", node_timeout_ms=500) as cluster:
            update = {"redis_url": cluster_url(cluster.ports), "queue_redis_url": queue.url}
            async with Runtime.open(settings.model_copy(update=update)) as runtime:
                client: Any = runtime.redis
                sales = await _warm_sale(runtime, 1, UNITS)
                assert (await _buy(runtime, sales, 1, 1)).code is ReserveCode.OK
                owner = client.get_node_from_key(runtime.keys.event_stock(1))
                doomed = next(p for p in cluster.primaries if p != owner.port)
                cluster.kill(doomed)
                deadline = time.monotonic() + 20
                while await _cluster_ok(owner.port):
                    assert time.monotonic() < deadline, "the cluster did not fail"
                    await asyncio.sleep(0.1)

                with pytest.raises(RedisUnavailable) as refused:
                    await _buy(runtime, sales, 1, 2)
                assert refused.value.retry_after_seconds == 1
                with pytest.raises(RedisUnavailable):
                    await sales.settle(event_id=1, states={"t": "persisted"})
                async with client.pipeline(transaction=False) as pipe:
                    sales.settle_in(pipe, event_id=1, states={"t": "persisted"})
                    [reply] = await pipe.execute(raise_on_error=False)
                assert isinstance(reply, RedisUnavailable)
                assert client.breaker.state is State.CLOSED
    finally:
        queue.stop()


async def _cluster_ok(port: int) -> bool:
    node = Redis(port=port)
    try:
        return b"cluster_state:ok" in await node.execute_command("CLUSTER", "INFO")
    finally:
        await node.aclose()
