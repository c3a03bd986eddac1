"""The server's own protocol pings: idle sockets see traffic, dead peers are dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportConnectionFailed
from gql.transport.websockets import WebsocketsTransport
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from flashmart.graphql.ids import encode_id
from tests.backend.seckill.factories import sale
from tests.backend.subscriptions.conftest import Stream, client, request, ws_url

EVENT_UPDATED = "subscription($id: ID!) { seckillEventUpdated(id: $id) { id remainingStock } }"
INTERVAL = 0.3


def _silent_client(base_url: str, *, answer_pings: bool) -> Any:
    """A gql client that never pings by itself, so every ping it sees came from the server."""
    session_client = client(base_url)
    transport: WebsocketsTransport = session_client.transport  # type: ignore[assignment]
    transport.ping_interval = None
    transport.answer_pings = answer_pings
    return session_client


async def test_the_server_pings_an_idle_socket_and_keeps_it_open_while_it_answers(
    ws_server: Callable[..., Any], db: None
) -> None:
    event = await sale(3)
    async with ws_server(subscription_ping_interval_seconds=INTERVAL) as base_url:
        session_client = _silent_client(base_url, answer_pings=True)
        transport: WebsocketsTransport = session_client.transport  # type: ignore[assignment]
        async with session_client as session:
            stream = Stream(session, request(EVENT_UPDATED, id=encode_id("SeckillEvent", event.id)))
            await stream.wait_count(1)
            for _ in range(4):  # several rounds: each ping answered, the socket stays
                transport.ping_received.clear()
                await asyncio.wait_for(transport.ping_received.wait(), timeout=5 * INTERVAL)
            assert not stream.done.is_set() and stream.error is None
            await stream.close()


async def test_a_peer_that_never_answers_pong_is_closed_with_1008(
    ws_server: Callable[..., Any], db: None
) -> None:
    event = await sale(3)
    async with ws_server(subscription_ping_interval_seconds=INTERVAL) as base_url:
        session_client = _silent_client(base_url, answer_pings=False)
        async with session_client as session:
            stream = Stream(session, request(EVENT_UPDATED, id=encode_id("SeckillEvent", event.id)))
            await stream.wait_count(1)
            await asyncio.wait_for(stream.done.wait(), timeout=10 * INTERVAL)
    assert isinstance(stream.error, TransportConnectionFailed)
    received = getattr(stream.error.__cause__, "rcvd", None)
    assert getattr(received, "code", None) == 1008


async def test_no_ping_before_the_connection_is_acknowledged(
    ws_server: Callable[..., Any], db: None
) -> None:
    async with ws_server(subscription_ping_interval_seconds=INTERVAL) as base_url:
        protocol = [Subprotocol("graphql-transport-ws")]
        async with connect(ws_url(base_url), subprotocols=protocol) as ws:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(ws.recv(), timeout=4 * INTERVAL)
