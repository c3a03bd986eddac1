"""The one-write HTTP protocol (http_protocol.py): each response's head goes out with its first
body part, in one write, and the bytes are exactly uvicorn's own.

Each case runs twice on the running event loop, through uvicorn's stock httptools protocol and
through ours, with a transport that records what the protocol writes (the socket's place),
and compares the writes; then a real server on a real socket answers the same requests."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from flashmart.http_protocol import OneWriteCycle, OneWriteHttpToolsProtocol
from tests.backend.live_server import live_server

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


class RecordingTransport(asyncio.Transport):
    """The socket's side of a connection: records writes and the close, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[bytes | str] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        assert not self.closed, "written after close"
        self.events.append(bytes(data))

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.events.append("close")

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        extra = {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}
        return extra.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    @property
    def writes(self) -> list[bytes]:
        return [e for e in self.events if isinstance(e, bytes)]


def _connected(
    protocol_class: type[HttpToolsProtocol], app: App
) -> tuple[HttpToolsProtocol, RecordingTransport]:
    """A protocol of `protocol_class` serving `app` on this loop, its connection made."""
    config = Config(app=app, lifespan="off", log_config=None, access_log=False)
    protocol = protocol_class(
        config=config, server_state=ServerState(), app_state={}, _loop=asyncio.get_running_loop()
    )
    transport = RecordingTransport()
    protocol.connection_made(transport)
    return protocol, transport


async def _exchange(protocol_class: type[HttpToolsProtocol], app: App, data: bytes) -> Any:
    protocol, transport = _connected(protocol_class, app)
    protocol.data_received(data)
    for _ in range(200):  # the cycles' tasks run on this loop
        await asyncio.sleep(0)
        if not protocol.tasks and (protocol.cycle is None or protocol.cycle.response_complete):
            break
    await asyncio.sleep(0.01)
    assert not protocol.tasks
    protocol.connection_lost(None)
    return transport


async def _both(app: App, data: bytes) -> tuple[RecordingTransport, RecordingTransport]:
    stock = await _exchange(HttpToolsProtocol, app, data)
    ours = await _exchange(OneWriteHttpToolsProtocol, app, data)
    assert b"".join(ours.writes) == b"".join(stock.writes)  # the same bytes
    return stock, ours


async def json_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    body = b'{"data":{"seckillBuy":{"ticket":null}}}'
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def streaming_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    for part in (b"one", b"two"):
        await send({"type": "http.response.body", "body": part, "more_body": True})
    await send({"type": "http.response.body", "body": b"three"})


async def failing_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    raise RuntimeError("before the response")


GET = b"GET /graphql HTTP/1.1\r\nHost: shop\r\n\r\n"


async def test_a_response_is_one_write_with_uvicorn_s_bytes() -> None:
    stock, ours = await _both(json_app, GET)
    assert len(stock.writes) == 2  # uvicorn: the head, then the body
    assert ours.writes == [b"".join(stock.writes)]
    assert ours.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert ours.writes[0].endswith(b'\r\n\r\n{"data":{"seckillBuy":{"ticket":null}}}')


async def test_a_streamed_response_sends_its_head_with_the_first_part() -> None:
    stock, ours = await _both(streaming_app, GET)
    assert len(stock.writes) == 4
    assert len(ours.writes) == 3
    assert ours.writes[0] == stock.writes[0] + stock.writes[1]  # head + b"3\r\none\r\n"
    assert ours.writes[1:] == stock.writes[2:]


async def test_head_requests_pipelining_connection_close_and_errors_stay_uvicorn_s() -> None:
    head = b"HEAD /graphql HTTP/1.1\r\nHost: shop\r\n\r\n"
    stock, ours = await _both(json_app, head)
    assert len(ours.writes) == 1 and ours.writes == stock.writes  # a head only
    # two requests in one packet: one write each, in order
    stock, ours = await _both(json_app, GET + GET)
    assert len(stock.writes) == 4 and len(ours.writes) == 2
    assert ours.writes[0] == ours.writes[1] == stock.writes[0] + stock.writes[1]
    # the client asks to close: the response, then the close
    closing = b"GET /graphql HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n"
    stock, ours = await _both(json_app, closing)
    assert stock.events[-1] == ours.events[-1] == "close"
    assert len(ours.writes) == 1 and ours.events == [ours.writes[0], "close"]
    # the application fails before answering: uvicorn's 500, in one write
    stock, ours = await _both(failing_app, GET)
    assert ours.writes[0].startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert len(ours.writes) == 1 < len(stock.writes)


async def test_a_client_gone_before_the_body_gets_nothing_written() -> None:
    """The peer disconnects between the head and the body: nothing is written (uvicorn
    would have written the head to a closed connection)."""
    started = asyncio.Event()
    go_on = asyncio.Event()

    async def slow(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        started.set()
        await go_on.wait()
        await send({"type": "http.response.body", "body": b"late"})

    protocol, transport = _connected(OneWriteHttpToolsProtocol, slow)
    protocol.data_received(GET)
    await asyncio.wait_for(started.wait(), 5)
    assert isinstance(protocol.cycle, OneWriteCycle)
    assert transport.writes == []  # the head waits for the body
    protocol.connection_lost(None)
    go_on.set()
    for _ in range(50):
        await asyncio.sleep(0)
    assert transport.writes == []


async def test_a_real_server_answers_over_a_real_socket() -> None:
    """`OneWriteHttpToolsProtocol` behind uvicorn's server (live_server uses it, as `flashmart
    serve` does): pipelined requests, a streamed response and a closing one, read off the
    socket whole."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            await send({"type": f"{message['type']}.complete"})
            return
        await (streaming_app if scope["path"] == "/stream" else json_app)(scope, receive, send)

    async with live_server(lambda _: app) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        requests = (
            GET
            + b"GET /stream HTTP/1.1\r\nHost: shop\r\n\r\n"
            + b"GET /graphql HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n"
        )
        received = await asyncio.to_thread(_send_and_read_all, port, requests)
    assert received.count(b"HTTP/1.1 200 OK\r\n") == 3
    assert received.count(b'{"data":{"seckillBuy":{"ticket":null}}}') == 2
    assert b"3\r\none\r\n3\r\ntwo\r\n5\r\nthree\r\n0\r\n\r\n" in received
    assert received.endswith(b'{"data":{"seckillBuy":{"ticket":null}}}')


def _send_and_read_all(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):  # the server closes after the last response
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture(autouse=True)
def _no_db() -> None:
    """These tests need no database."""
