"""Trusted documents over graphql-transport-ws: `documentId` in the `subscribe` payload."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.graphql.trusted_documents import GRAPHIQL_MARKER
from flashmart.seckill.buy import buy
from flashmart.seckill.events import warm_up
from flashmart.seckill.models import SeckillEvent
from tests.backend.helpers import persisted
from tests.backend.seckill.factories import relaxed, sale
from tests.backend.subscriptions.conftest import ws_url

RAW_WATCH = "subscription($id: ID!) { seckillEventUpdated(id: $id) { id remainingStock } }"


async def _connect(base_url: str, **init: str) -> ClientConnection:
    ws = await connect(ws_url(base_url), subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": init}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    return ws


async def _message(ws: ClientConnection) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        if message["type"] != "ping":
            return message


async def _subscribe(ws: ClientConnection, op_id: str, payload: dict[str, Any]) -> None:
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))


async def _warm_sale(runtime: Runtime) -> tuple[SeckillEvent, str]:
    event = await sale(2)
    await warm_up(runtime, event.id)
    return event, encode_id("SeckillEvent", event.id)


@pytest.mark.parametrize("lane", [True, False])
async def test_a_subscription_by_document_id(
    ws_server: Callable[..., Any], runtime: Runtime, lane: bool
) -> None:
    """The storefront's live stock by id, through the live-sale lane and generic execution."""
    runtime = relaxed(runtime)
    event, gid = await _warm_sale(runtime)
    watch_id, _ = persisted("FlashSaleUpdated")
    async with ws_server(graphql_event_lane=lane, subscription_event_rate=20) as base_url:
        ws = await _connect(base_url)
        try:
            # graphql-ws sends an empty `query` beside the id: it counts as none.
            payload = {"documentId": watch_id, "query": "", "variables": {"id": gid},
                       "operationName": "FlashSaleUpdated"}  # fmt: skip
            await _subscribe(ws, "1", payload)
            first = await _message(ws)
            await buy(runtime, user_id=1, event_id=event.id, quantity=1, client_ip="10.0.0.1")
            second = await _message(ws)
        finally:
            await ws.close()
    expected = {"__typename": "SeckillEvent", "id": gid, "remainingStock": 2, "status": "ACTIVE"}
    assert first == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"seckillEventUpdated": expected}},
    }
    assert second["payload"]["data"]["seckillEventUpdated"]["remainingStock"] == 1


async def test_unknown_ids_and_untrusted_texts_get_the_operations_error(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    _, gid = await _warm_sale(runtime)
    watch_id, watch_text = persisted("FlashSaleUpdated")
    async with ws_server(trusted_documents_only=True) as base_url:
        ws = await _connect(base_url)
        try:
            await _subscribe(ws, "a", {"documentId": "sha256:" + "0" * 64, "query": ""})
            unknown = await _message(ws)
            await _subscribe(ws, "b", {"query": RAW_WATCH, "variables": {"id": gid}})
            raw = await _message(ws)
            # The socket stays open: the manifest's document, by id or by its text, still runs.
            await _subscribe(ws, "c", {"documentId": watch_id, "variables": {"id": gid}})
            by_id = await _message(ws)
            await _subscribe(ws, "d", {"query": watch_text, "variables": {"id": gid}})
            by_text = await _message(ws)
        finally:
            await ws.close()
        # GraphiQL in development marks its connection: it may subscribe with any document.
        graphiql = await _connect(base_url, **{GRAPHIQL_MARKER: "1"})
        try:
            await _subscribe(graphiql, "e", {"query": RAW_WATCH, "variables": {"id": gid}})
            from_graphiql = await _message(graphiql)
        finally:
            await graphiql.close()
    assert unknown == {
        "id": "a",
        "type": "error",
        "payload": [
            {
                "message": "Unknown documentId: this server does not know the document",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ],
    }
    assert raw["type"] == "error"
    assert raw["payload"][0]["extensions"] == {"code": "TRUSTED_DOCUMENT_REQUIRED"}
    for answer, op_id in ((by_id, "c"), (by_text, "d"), (from_graphiql, "e")):
        assert answer["id"] == op_id and answer["type"] == "next"
        assert answer["payload"]["data"]["seckillEventUpdated"]["id"] == gid
