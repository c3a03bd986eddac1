"""WebSocket handshakes from other sites' pages are refused; our own pages and CORS_ORIGINS pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin, Subprotocol

from tests.backend.subscriptions.conftest import ws_url

PROTOCOL = [Subprotocol("graphql-transport-ws")]
ALLOWED = "https://shop.example.com"


async def _handshake(base_url: str, origin: str | None) -> str | None:
    """The subprotocol the server accepted, or raise InvalidStatus when it refused."""
    kwargs: dict[str, Any] = {"subprotocols": PROTOCOL}
    if origin is not None:
        kwargs["origin"] = Origin(origin)
    async with connect(ws_url(base_url), **kwargs) as ws:
        return ws.subprotocol


@pytest.mark.parametrize("origin", ["https://evil.example.net", "http://127.0.0.1:1", "null"])
async def test_a_cross_site_origin_is_refused_with_403(
    ws_server: Callable[..., Any], db: None, origin: str
) -> None:
    async with ws_server(cors_origins=[ALLOWED]) as base_url:
        with pytest.raises(InvalidStatus) as caught:
            await _handshake(base_url, origin)
    assert caught.value.response.status_code == 403


async def test_the_same_host_a_cors_origin_and_non_browsers_are_accepted(
    ws_server: Callable[..., Any], db: None
) -> None:
    async with ws_server(cors_origins=[ALLOWED]) as base_url:
        assert await _handshake(base_url, base_url) == "graphql-transport-ws"  # our own pages
        assert await _handshake(base_url, ALLOWED) == "graphql-transport-ws"
        assert await _handshake(base_url, None) == "graphql-transport-ws"  # no Origin: no browser
