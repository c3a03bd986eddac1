"""Errors over graphql-transport-ws are shaped as over HTTP: every one carries its code."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from flashmart.graphql.ids import encode_id
from tests.backend.subscriptions.conftest import ws_url


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        # two root fields in an anonymous subscription: a validation error
        ("subscription { a: serverTime b: serverTime }", None),
        ("subscription { noSuchField }", None),
        ("subscription($id: ID!) { seckillEventUpdated(id: $id) { id } }", {}),
        ('subscription { seckillEventUpdated(id: "bm90IGFuIGlk") { id } }', None),
    ],
)
async def test_request_errors_carry_a_code(
    ws_server: Callable[..., Any], db: None, document: str, variables: dict[str, Any] | None
) -> None:
    async with ws_server() as base_url:
        protocol = [Subprotocol("graphql-transport-ws")]
        async with connect(ws_url(base_url), subprotocols=protocol) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            payload = {"query": document, "variables": variables}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            message = json.loads(await ws.recv())
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors, message
    assert {e["extensions"]["code"] for e in errors} == {"BAD_USER_INPUT"}, message


@pytest.mark.parametrize(
    ("language", "chosen", "message"),
    [
        (None, None, "No such flash sale"),
        ("zh-CN,zh;q=0.9", None, "秒杀活动不存在"),
        # The page's language, sent in `connection_init`, wins over the browser's header.
        ("en-US,en;q=0.9", "zh-CN", "秒杀活动不存在"),
        ("zh-CN,zh;q=0.9", "en", "No such flash sale"),
        ("zh-CN,zh;q=0.9", 7, "秒杀活动不存在"),  # not a language: the header's
    ],
)
async def test_our_messages_follow_the_pages_language_else_the_upgrade_requests(
    ws_server: Callable[..., Any], db: None, language: str | None, chosen: Any, message: str
) -> None:
    """A socket's messages are in the language its `connection_init` payload names (the
    storefront sends the language the page is shown in), else in that of its upgrade
    request's Accept-Language (the browser's)."""
    headers = {"Accept-Language": language} if language else {}
    init = {} if chosen is None else {"language": chosen}
    document = "subscription($id: ID!) { seckillEventUpdated(id: $id) { id } }"
    variables = {"id": encode_id("SeckillEvent", 424242)}
    async with ws_server() as base_url:
        protocol = [Subprotocol("graphql-transport-ws")]
        async with connect(
            ws_url(base_url), subprotocols=protocol, additional_headers=headers
        ) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": init}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            payload = {"query": document, "variables": variables}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            answer = json.loads(await ws.recv())
    errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
    assert [(e["message"], e["extensions"]["code"]) for e in errors] == [
        (message, "BAD_USER_INPUT")
    ], answer
