"""Eight flash sales on a real 3-node Redis Cluster, sold by two `flashmart serve` processes and
persisted by two `flashmart worker` processes, the job queue on a plain Redis of its own.

The topology of docs/scaling.md ("Redis Cluster"): REDIS_URL=redis+cluster://... (sales, rate
limits, token stamps, caches, pub/sub), QUEUE_REDIS_URL=redis://... (arq). Shoppers storm all
eight sales at once over both API processes; each sale is then audited: exactly its stock sold
(none oversold, none undersold), and every reservation persisted exactly once (one ticket row
and one order per reservation, nothing left in flight). Meanwhile a signed-in shopper watches
one sale over a WebSocket on the other process until it sells out, and the catalog is served
from its cache on the cluster.
"""

from __future__ import annotations

import asyncio
import collections
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from flashmart.core import embedded_redis
from flashmart.core.embedded_cluster import cluster_url, redis_cluster
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.graphql.ids import decode_ticket_id, encode_id
from flashmart.orders.models import Order
from flashmart.seckill.audit import audit
from flashmart.seckill.models import SeckillTicket
from flashmart.seckill.store import SaleStore
from tests.backend.helpers import token_for
from tests.backend.processes import api_processes_factory, worker_env
from tests.backend.seckill.factories import shoppers, warm_sale
from tests.backend.subscriptions.conftest import ws_url

SALES = 8
UNITS = 20  # per sale
SHOPPERS = 40  # each tries every sale twice: 640 buys for 160 units
CONCURRENCY = 64  # buys in flight at once
BUY = """
mutation Buy($e: ID!) {
  seckillBuy(eventId: $e) { ticket { id status } userErrors { code } }
}
"""
PRODUCTS = "{ products(first: 8) { edges { node { id name } } } }"
WATCH_SALE = "subscription($id: ID!) { seckillEventUpdated(id: $id) { id remainingStock } }"
# Rate limits out of the way (every buy comes from 127.0.0.1); durability `fast`: the test's
# cluster nodes run without AOF (the readiness check would only warn).
PROCESS_ENV = {
    "SECKILL_USER_RATE": "1000",
    "SECKILL_USER_BURST": "1000",
    "SECKILL_IP_RATE": "1000000",
    "SECKILL_IP_BURST": "1000000",
    "SECKILL_DURABILITY": "fast",
    "WORKER_NICE": "0",
}


@pytest.fixture
def topology(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """The test's settings on a cluster of its own and a queue Redis of its own."""
    with redis_cluster(tmp_path / "cluster") as ports:
        queue = embedded_redis.start(tmp_path / "queue", reuse=False)
        try:
            yield settings.model_copy(
                update={
                    "redis_url": cluster_url(ports),
                    "queue_redis_url": queue.url,
                    "seckill_durability": "fast",
                }
            )
        finally:
            queue.stop()


def _workers(settings: Settings, tmp_path: Path, count: int) -> list[subprocess.Popen[bytes]]:
    flashmart = Path(sys.executable).parent / "flashmart"
    env = worker_env(settings, QUEUE_REDIS_URL=settings.queue_redis_url or "", **PROCESS_ENV)
    procs = []
    for index in range(count):
        log = (tmp_path / f"worker-{index}.log").open("wb")
        procs.append(
            subprocess.Popen(
                [str(flashmart), "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        )
    return procs


async def _storm(urls: list[str], attempts: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Every (sale id, shopper) buy, spread over the API processes, CONCURRENCY at a time."""
    gate = asyncio.Semaphore(CONCURRENCY)
    clients = [httpx.AsyncClient(base_url=url, timeout=30) for url in urls]

    async def one(index: int, gid: str, user_id: int) -> dict[str, Any]:
        async with gate:
            response = await clients[index % len(clients)].post(
                "/graphql",
                json={"query": BUY, "variables": {"e": gid}},
                headers={"authorization": f"Bearer {token_for(user_id)}"},
            )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert not body.get("errors"), body
        result: dict[str, Any] = body["data"]["seckillBuy"]
        return result

    try:
        return await asyncio.gather(*(one(i, g, u) for i, (g, u) in enumerate(attempts)))
    finally:
        for client in clients:
            await client.aclose()


async def _watch(url: str, gid: str, token: str, first: asyncio.Event) -> list[int]:
    """A signed-in shopper's live view of a sale (graphql-transport-ws) until it sells out:
    the remaining stock of every message."""
    async with connect(ws_url(url), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        init = {"authorization": f"Bearer {token}"}  # takes a connection slot (a script)
        await ws.send(json.dumps({"type": "connection_init", "payload": init}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        await ws.send(json.dumps({
            "id": "1", "type": "subscribe",
            "payload": {"query": WATCH_SALE, "variables": {"id": gid}},
        }))  # fmt: skip
        seen: list[int] = []
        while not seen or seen[-1] > 0:
            message = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if message["type"] == "ping":
                await ws.send(json.dumps({"type": "pong"}))
                continue
            assert message["type"] == "next", message
            seen.append(message["payload"]["data"]["seckillEventUpdated"]["remainingStock"])
            first.set()
        return seen


async def test_eight_sales_on_a_cluster_sell_exactly_their_stock(
    topology: Settings, db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with Runtime.open(topology) as runtime:
        users = await shoppers(SHOPPERS)
        events = [await warm_sale(runtime, UNITS) for _ in range(SALES)]
        cluster: Any = runtime.redis
        shard_of = {
            e.id: cluster.get_node_from_key(runtime.keys.event_stock(e.id)).name for e in events
        }
        assert len(set(shard_of.values())) >= 2, "every sale landed on one shard"
        gids = {encode_id("SeckillEvent", e.id): e.id for e in events}
        attempts = [(gid, u.id) for gid in gids for u in users for _ in range(2)]
        random.Random(21).shuffle(attempts)

        workers = _workers(topology, tmp_path, 2)
        try:
            start = api_processes_factory(topology, tmp_path)
            extra = {"QUEUE_REDIS_URL": topology.queue_redis_url or "", **PROCESS_ENV}
            async with start(2, **extra) as urls:
                watched = next(iter(gids))
                first = asyncio.Event()
                watcher = asyncio.create_task(
                    _watch(urls[1], watched, token_for(users[0].id), first)
                )
                await asyncio.wait_for(first.wait(), 30)
                began = time.monotonic()
                results = await _storm(list(urls), attempts)
                storm_seconds = time.monotonic() - began
                # The watcher, on the other process, heard the sale sell out (pub/sub and the
                # sale's state on the cluster).
                seen = await asyncio.wait_for(watcher, 30)
                assert seen[0] == UNITS and seen[-1] == 0
                # The catalog's cache lives on the cluster too (its single-key transaction).
                async with httpx.AsyncClient(base_url=urls[0], timeout=30) as http:
                    for _ in range(2):
                        listed = (await http.post("/graphql", json={"query": PRODUCTS})).json()
                        assert not listed.get("errors"), listed
                        assert len(listed["data"]["products"]["edges"]) == SALES
                assert await cluster.hexists(runtime.keys.product_list_cache, str(SALES))
            sales = SaleStore.of(runtime)
            deadline = time.monotonic() + 90
            while True:  # the workers persist every reservation
                written = await SeckillTicket.filter(event_id__in=list(gids.values())).count()
                pending = [await sales.pending_count(e) for e in gids.values()]
                if written == SALES * UNITS and not any(pending):
                    break
                assert time.monotonic() < deadline, f"{written} written, {pending} pending"
                await asyncio.sleep(0.2)
            persisted_seconds = time.monotonic() - began
            assert all(w.poll() is None for w in workers), f"a worker died: see {tmp_path}"
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)

        outcomes: dict[int, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        queued: dict[int, set[str]] = collections.defaultdict(set)
        for (gid, _), result in zip(attempts, results, strict=True):
            event_id = gids[gid]
            if result["ticket"] is not None:
                assert result["ticket"]["status"] == "QUEUED"
                outcomes[event_id]["QUEUED"] += 1
                queued[event_id].add(decode_ticket_id(result["ticket"]["id"]))
            else:
                (error,) = result["userErrors"]
                outcomes[event_id][error["code"]] += 1
        for event_id in gids.values():
            assert outcomes[event_id]["QUEUED"] == UNITS, outcomes[event_id]
            assert set(outcomes[event_id]) <= {"QUEUED", "SOLD_OUT", "ALREADY_PURCHASED"}
            report = await audit(runtime, event_id)
            assert report.passed, report.checks
            assert (report.oversold, report.undersold, report.pending) == (0, 0, 0)
            assert report.sold == report.orders == report.total_stock == UNITS
            tickets = await SeckillTicket.filter(event_id=event_id).values_list("id", flat=True)
            assert sorted(tickets) == sorted(queued[event_id])  # each reservation once
            buyers = await Order.filter(seckill_event_id=event_id).values_list("user_id", flat=True)
            assert len(buyers) == len(set(buyers)) == UNITS

    per_shard = collections.Counter(shard_of.values())
    with capsys.disabled():
        print(
            f"\ncluster: {len(attempts)} buys on {SALES} sales over {len(per_shard)} shards "
            f"({dict(per_shard)} sales each) in {storm_seconds:.1f} s through 2 API "
            f"processes; all {SALES * UNITS} orders written by 2 workers "
            f"{persisted_seconds:.1f} s after the first buy"
        )
