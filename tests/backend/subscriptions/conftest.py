"""Servers that speak WebSocket, and the `gql` client (an outside graphql-transport-ws client).

- `ws_server`: the app under a real uvicorn on the test's event loop (it shares the `db`
  fixture's Tortoise connections), with a WebSocket implementation switched on.
- `api_processes` (tests/backend/processes.py): N separate `flashmart serve` processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import uvicorn
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from tests.backend.live_server import bind_free_port


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
    """`async with ws_server(**settings) as base_url`: the app on a real socket, WebSockets on."""

    @contextlib.asynccontextmanager
    async def serve(**overrides: Any) -> AsyncIterator[str]:
        sock = bind_free_port()
        base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        app = app_factory(public_base_url=base_url, **overrides)
        config = uvicorn.Config(
            app, lifespan="on", log_config=None, access_log=False, ws="websockets-sansio"
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            for _ in range(500):
                if server.started or task.done():
                    break
                await asyncio.sleep(0.01)
            if not server.started:
                await task
                raise RuntimeError("uvicorn did not start")
            yield base_url
        finally:
            server.should_exit = True
            await asyncio.wait_for(task, timeout=15)
            sock.close()

    return serve
