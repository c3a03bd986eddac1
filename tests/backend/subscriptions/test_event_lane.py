"""The live-sale lane answers seckillEventUpdated with the very bytes generic execution sends."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill.buy import buy
from flashmart.seckill.events import warm_up
from tests.backend.graphql.test_products import count_queries
from tests.backend.seckill.factories import relaxed, sale
from tests.backend.subscriptions.conftest import next_frame, serving_view, ws_url

# The storefront's selection, with an alias, a fragment and __typename.
DOCUMENT = """
subscription Watch($id: ID!) {
  sale: seckillEventUpdated(id: $id) { __typename ...Live left: remainingStock }
}
fragment Live on SeckillEvent { id status remainingStock }
"""
WITH_PRODUCT = "subscription($id: ID!) { seckillEventUpdated(id: $id) { id product { name } } }"


async def _subscribe(base_url: str, document: str, gid: str) -> ClientConnection:
    ws = await _connect(base_url)
    await _send_subscribe(ws, document, gid)
    return ws


async def _connect(base_url: str) -> ClientConnection:
    ws = await connect(ws_url(base_url), subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    return ws


async def _send_subscribe(ws: ClientConnection, document: str, gid: str) -> None:
    await ws.send(json.dumps({
        "id": "1", "type": "subscribe",
        "payload": {"query": document, "variables": {"id": gid}, "operationName": None},
    }))  # fmt: skip


async def _session(
    app_factory: Callable[..., Any], runtime: Runtime, *, lane: bool
) -> tuple[list[str], int, int]:
    """The raw frames of one subscription while its sale sells its 2 units, one at a time,
    how many subscriptions the lane served and how many messages the watcher pushed."""
    event = await sale(2)
    await warm_up(runtime, event.id)
    gid = encode_id("SeckillEvent", event.id)
    frames: list[str] = []
    async with serving_view(app_factory, graphql_event_lane=lane, subscription_event_rate=20) as (
        base_url,
        view,
    ):
        ws = await _subscribe(base_url, DOCUMENT, gid)
        try:
            frames.append(await next_frame(ws))
            for user_id in (1, 2):
                await buy(runtime, user_id=user_id, event_id=event.id, quantity=1,
                          client_ip="10.0.0.1")  # fmt: skip
                frames.append(await next_frame(ws))
        finally:
            await ws.close()
        served = view.event_lane.served if view.event_lane is not None else 0
        pushed = view.event_lane.pushed if view.event_lane is not None else 0
    return [f.replace(gid, "<sale>") for f in frames], served, pushed


async def test_the_lane_sends_the_frames_generic_execution_sends(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    runtime = relaxed(runtime)
    generic, none, _ = await _session(app_factory, runtime, lane=False)
    fast, served, pushed = await _session(app_factory, runtime, lane=True)
    assert (none, served) == (0, 1)
    # The first state is sent by the subscription's task, the two changes are written onto
    # the socket by the sale's watcher (wsdirect.py): the same bytes all the same.
    assert pushed == 2
    assert fast == generic
    last = json.loads(generic[-1])
    assert last == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": {
                "sale": {
                    "__typename": "SeckillEvent",
                    "id": "<sale>",
                    "status": "SOLD_OUT",
                    "remainingStock": 0,
                    "left": 0,
                },
            }
        },
    }
    assert [json.loads(f)["payload"]["data"]["sale"]["left"] for f in generic] == [2, 1, 0]


async def test_other_selections_and_unknown_sales_take_the_generic_path(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    event = await sale(1)
    gid = encode_id("SeckillEvent", event.id)
    async with serving_view(app_factory) as (base_url, view):
        ws = await _subscribe(base_url, WITH_PRODUCT, gid)
        first = json.loads(await next_frame(ws))
        await ws.close()
        assert first["payload"]["data"]["seckillEventUpdated"]["product"]["name"]
        ws = await _subscribe(base_url, DOCUMENT, encode_id("SeckillEvent", 999_999))
        refused = json.loads(await next_frame(ws))
        await ws.close()
        assert refused["type"] == "next"
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert view.event_lane is not None and view.event_lane.served == 0


async def test_a_crowd_subscribing_at_once_reads_the_sale_from_the_database_once(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    """The lane checks that the sale exists; a watcher running for it already says so."""
    event = await sale(5)
    await warm_up(runtime, event.id)
    gid = encode_id("SeckillEvent", event.id)
    async with serving_view(app_factory) as (base_url, view):
        sockets = await asyncio.gather(*(_connect(base_url) for _ in range(30)))
        with count_queries() as statements:
            # All at once: they reach the server before the sale's watcher has read anything.
            await asyncio.gather(*(_send_subscribe(ws, DOCUMENT, gid) for ws in sockets))
            try:
                firsts = await asyncio.gather(*(next_frame(ws) for ws in sockets))
            finally:
                await asyncio.gather(*(ws.close() for ws in sockets))
        assert view.event_lane is not None and view.event_lane.served == 30
    assert all(json.loads(f)["payload"]["data"]["sale"]["left"] == 5 for f in firsts)
    reads = [s for s in statements if "seckill_event" in s]
    # The first subscription's check and the watcher's load; not one per subscriber.
    assert 1 <= len(reads) <= 2, reads
