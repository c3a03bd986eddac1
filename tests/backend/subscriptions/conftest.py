"""Servers that speak WebSocket, and the `gql` client (an outside graphql-transport-ws client).

- `ws_server`: the app under a real uvicorn on the test's event loop (it shares the `db`
  fixture's Tortoise connections), with a WebSocket implementation switched on.
- `api_processes` (tests/backend/processes.py): N separate `flashmart serve` processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport
from starlette.routing import WebSocketRoute
from websockets.asyncio.client import ClientConnection

from flashmart.graphql.view import GraphQLView
from tests.backend.live_server import live_server


def ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1) + "/graphql"


def client(base_url: str, token: str | None = None, **payload: Any) -> Client:
    """A gql client over graphql-transport-ws, authenticated in `connection_init`."""
    init = dict(payload)
    if token is not None:
        init["authorization"] = f"Bearer {token}"
    transport = WebsocketsTransport(
        url=ws_url(base_url),
        init_payload=init,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        connect_timeout=10,
        ping_interval=5,
    )
    return Client(transport=transport, fetch_schema_from_transport=False)


async def gql_over_http(base_url: str, token: str, query: str, **variables: Any) -> dict[str, Any]:
    """`data` of a query or mutation POSTed to a running server as the shopper; no errors."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
        )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def request(document: str, **variables: Any) -> GraphQLRequest:
    return GraphQLRequest(document, variable_values=variables)


class Stream:
    """A subscription read in the background: `received` fills as `next` messages arrive."""

    def __init__(self, session: Any, document: GraphQLRequest) -> None:
        self.received: list[dict[str, Any]] = []
        self.error: BaseException | None = None
        self.done = asyncio.Event()
        self._session = session
        self._document = document
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        try:
            async for result in self._session.subscribe(self._document):
                self.received.append(result)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            self.error = exc
        finally:
            self.done.set()

    async def wait_for(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 20
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for item in self.received:
                if predicate(item):
                    return item
            if self.done.is_set():
                break
            await asyncio.sleep(0.02)
        raise AssertionError(f"not received; got {self.received!r}, error {self.error!r}")

    async def wait_count(self, n: int, timeout: float = 20) -> None:
        await self.wait_for(lambda _: len(self.received) >= n, timeout)

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task


@pytest.fixture
def ws_server(app_factory: Callable[..., Any]) -> Callable[..., Any]:
    """`async with ws_server(**settings) as base_url`: the app on a real socket, WebSockets on
    without compression, as `flashmart serve` runs it."""

    def serve(**overrides: Any) -> contextlib.AbstractAsyncContextManager[str]:
        def build(base_url: str) -> Any:
            return app_factory(public_base_url=base_url, **overrides)

        return live_server(
            build, ws="websockets-sansio", per_message_deflate=False, stop_timeout=15
        )

    return serve


@contextlib.asynccontextmanager
async def serving_view(
    app_factory: Callable[..., Any], **overrides: Any
) -> AsyncIterator[tuple[str, GraphQLView]]:
    """The app (with `overrides` of its settings) under a real uvicorn, and its GraphQL view
    (whose lanes count what they served)."""
    views: list[GraphQLView] = []

    def build(base_url: str) -> Any:
        app = app_factory(public_base_url=base_url, **overrides)
        views.append(next(r.endpoint for r in app.routes if isinstance(r, WebSocketRoute)))
        return app

    async with live_server(
        build, ws="websockets-sansio", per_message_deflate=False, stop_timeout=15
    ) as base_url:
        yield base_url, views[0]


async def next_frame(ws: ClientConnection) -> str:
    """The next raw frame other than a server ping."""
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=15)
        assert isinstance(raw, str)
        if json.loads(raw)["type"] != "ping":
            return raw
