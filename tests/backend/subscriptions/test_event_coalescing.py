"""seckillEventUpdated under a purchase storm: at most RATE updates a second, ending on the truth."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flashmart.core.errors import DomainFailure
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill.buy import buy
from flashmart.seckill.events import warm_up
from tests.backend.seckill.factories import relaxed, sale
from tests.backend.subscriptions.conftest import Stream, client, request

EVENT_UPDATED = (
    "subscription($id: ID!) { seckillEventUpdated(id: $id) { id remainingStock status } }"
)
RATE = 4
PURCHASES = 2000
STOCK = 1500
CONCURRENCY = 64


async def _storm(runtime: Runtime, event_id: int) -> tuple[int, int]:
    """PURCHASES buys by distinct shoppers as fast as Redis answers: (bought, refused)."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for user_id in range(1, PURCHASES + 1):
        queue.put_nowait(user_id)
    counts = [0, 0]

    async def buyer() -> None:
        while not queue.empty():
            user_id = queue.get_nowait()
            try:
                await buy(
                    runtime, user_id=user_id, event_id=event_id, quantity=1, client_ip="10.0.0.1"
                )
                counts[0] += 1
            except DomainFailure:
                counts[1] += 1

    await asyncio.gather(*(buyer() for _ in range(CONCURRENCY)))
    return counts[0], counts[1]


def _stock(item: dict[str, Any]) -> int:
    value: int = item["seckillEventUpdated"]["remainingStock"]
    return value


async def test_a_storm_of_purchases_is_coalesced_and_ends_on_the_final_stock(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    # The worker is not running: reservations stay in Redis, which is what the stock shows.
    runtime = relaxed(runtime, seckill_enqueue_in_script=False)
    event = await sale(STOCK)
    await warm_up(runtime, event.id)
    gid = encode_id("SeckillEvent", event.id)
    async with ws_server(subscription_event_rate=RATE) as base_url, client(base_url) as session:
        stream = Stream(session, request(EVENT_UPDATED, id=gid))
        first = await stream.wait_for(lambda _: True)
        assert first["seckillEventUpdated"] == {
            "id": gid,
            "remainingStock": STOCK,
            "status": "ACTIVE",
        }
        arrivals: list[float] = []
        seen = 1

        async def clock() -> None:
            nonlocal seen
            while True:
                while len(stream.received) > seen:
                    arrivals.append(time.monotonic())
                    seen += 1
                await asyncio.sleep(0.005)

        watcher = asyncio.create_task(clock())
        started = time.monotonic()
        bought, refused = await _storm(runtime, event.id)
        storm_seconds = time.monotonic() - started
        assert (bought, refused) == (STOCK, PURCHASES - STOCK)

        final = await stream.wait_for(lambda item: _stock(item) == 0, timeout=5)
        await asyncio.sleep(3 / RATE)  # nothing may follow the final state
        watcher.cancel()
        elapsed = time.monotonic() - started

    updates = stream.received[1:]
    assert final == stream.received[-1]
    assert final["seckillEventUpdated"]["status"] == "SOLD_OUT"
    assert len(updates) <= RATE * elapsed + 2, (len(updates), elapsed, storm_seconds)
    stocks = [_stock(item) for item in updates]
    assert stocks == sorted(stocks, reverse=True) and len(set(stocks)) == len(stocks)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert all(gap > 0.6 / RATE for gap in gaps), gaps


async def test_the_end_of_a_sale_is_sent_and_completes_the_subscription(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    event = await sale(5, lasts=timedelta(seconds=62), starts_in=timedelta(seconds=-60))
    gid = encode_id("SeckillEvent", event.id)
    async with ws_server(subscription_event_rate=10) as base_url, client(base_url) as session:
        stream = Stream(session, request(EVENT_UPDATED, id=gid))
        await asyncio.wait_for(stream.done.wait(), timeout=10)
    statuses = [item["seckillEventUpdated"]["status"] for item in stream.received]
    assert statuses == ["ACTIVE", "ENDED"] and stream.error is None
