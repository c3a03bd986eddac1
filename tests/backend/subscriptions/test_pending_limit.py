"""Anonymous sockets per client address, before and after `connection_init`, across processes.

A socket counts against SUBSCRIPTION_MAX_ANONYMOUS_PER_ADDRESS from its handshake: while it has
not sent `connection_init` in a set of its own, then (anonymous) in the address's set. Sockets
that never initialise can no longer pile up uncounted until Strawberry's timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportConnectionFailed
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from flashmart.core.runtime import Runtime
from tests.backend.helpers import token_for
from tests.backend.payments.factories import shopper
from tests.backend.subscriptions.conftest import client, ws_url

PROTOCOL = "graphql-transport-ws"


@contextlib.asynccontextmanager
async def raw_socket(base_url: str) -> AsyncIterator[ClientConnection]:
    """A graphql-transport-ws socket that has sent nothing yet."""
    async with connect(ws_url(base_url), subprotocols=[PROTOCOL], open_timeout=10) as socket:  # type: ignore[list-item]
        yield socket


async def _closed_with(socket: ClientConnection, timeout: float = 10) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as caught:
        await asyncio.wait_for(socket.recv(), timeout)
    received = caught.value.rcvd
    assert received is not None
    return received.code, received.reason


async def _initialise(socket: ClientConnection) -> None:
    await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
    reply = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert reply["type"] == "connection_ack", reply


async def _pending(runtime: Runtime) -> int:
    return int(await runtime.redis.zcard(runtime.keys.ws_pending_connections("127.0.0.1")))


async def test_sockets_that_never_initialise_are_capped_per_address(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    user = await shopper()
    async with (
        ws_server(subscription_max_anonymous_per_address=2) as base_url,
        raw_socket(base_url) as first,
        raw_socket(base_url),
    ):
        assert await _pending(runtime) == 2
        async with raw_socket(base_url) as third:
            assert await _closed_with(third) == (4403, "Too many connections")
        # connection_init moves a socket out of the pending set: room for one more.
        await _initialise(first)
        assert await _pending(runtime) == 1
        async with raw_socket(base_url) as fourth:
            await _initialise(fourth)
        # A signed-in shopper's socket, once initialised, counts as the user's only.
        async with client(base_url, token_for(user.id)):
            assert await _pending(runtime) == 1
            assert await runtime.redis.zcard(runtime.keys.ws_connections(user.id)) == 1
    assert await _pending(runtime) == 0


async def test_a_socket_without_connection_init_is_closed_and_frees_its_place(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    overrides = {
        "subscription_max_anonymous_per_address": 1,
        "subscription_init_timeout_seconds": 0.5,
    }
    async with ws_server(**overrides) as base_url:
        async with raw_socket(base_url) as idle:
            code, _ = await _closed_with(idle)
            assert code == 4408  # graphql-transport-ws: connection initialisation timeout
        for _ in range(100):
            if await _pending(runtime) == 0:
                break
            await asyncio.sleep(0.02)
        assert await _pending(runtime) == 0
        async with raw_socket(base_url) as next_one:
            await _initialise(next_one)


@pytest.mark.slow
async def test_the_anonymous_caps_hold_across_processes(
    api_processes: Callable[..., Any], runtime: Runtime
) -> None:
    async with api_processes(2, SUBSCRIPTION_MAX_ANONYMOUS_PER_ADDRESS="2") as (url_a, url_b):
        # Initialised anonymous sockets: one on each process puts the address at the cap.
        async with client(url_a), client(url_b):
            for url in (url_a, url_b):
                with pytest.raises(TransportConnectionFailed) as caught:
                    async with client(url):
                        pass
                assert getattr(getattr(caught.value.__cause__, "rcvd", None), "code", None) == 4403
        # Sockets that have not initialised: the same across the processes.
        async with raw_socket(url_a), raw_socket(url_b), raw_socket(url_a) as third:
            assert await _closed_with(third) == (4403, "Too many connections")
