"""uvicorn's httptools protocol, writing a response's head and its first body part at once.

uvicorn writes an HTTP response's status line and headers to the socket as soon as the
application sends `http.response.start`, then its body when `http.response.body` comes: two
`send` system calls, and (the sockets set TCP_NODELAY) two TCP segments per response. A buy's
answer is a few hundred bytes: in a py-spy profile of the live crowd (`make bench`), the
first of those writes was the API process's largest single line. The ASGI specification says
a server must not start sending the response before it has the first body message; this
protocol does that: `OneWriteCycle` keeps the head uvicorn formats for `http.response.start`
and writes it with the first `http.response.body` (for a response without a body part, such
as a HEAD request's, alone), then behaves as uvicorn's cycle does. Everything else (parsing,
keep-alive, pipelining, flow control, the header checks) is uvicorn's own code.

`flashmart serve` (cli.uvicorn_options) and the test servers use `OneWriteHttpToolsProtocol`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

# uvicorn's `http` option naming the protocol below.
UVICORN_HTTP = "flashmart.http_protocol:OneWriteHttpToolsProtocol"


class _Held:
    """Stands in for the transport while uvicorn's cycle sends one message: keeps what it
    writes and whether it asked to close, for `OneWriteCycle` to do once, in order."""

    __slots__ = ("closing", "parts", "real")

    def __init__(self, real: asyncio.Transport) -> None:
        self.real = real
        self.parts: list[bytes] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def close(self) -> None:
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing or self.real.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class OneWriteCycle(RequestResponseCycle):
    """uvicorn's request/response cycle whose response head waits for the first body part."""

    head: bytes | None = None  # the formatted head, until the first body part takes it

    async def send(self, message: Any) -> None:
        kind = message["type"]
        if kind == "http.response.start" and not self.response_started:
            held = await self._send_held(message)
            self.head = b"".join(held.parts)
            if held.closing:  # uvicorn closes only after a body part; kept for safety
                self._flush(held)
            return
        if self.head is None or kind != "http.response.body":
            await super().send(message)
            return
        held = await self._send_held(message)
        self._flush(held)

    async def _send_held(self, message: Any) -> _Held:
        real = self.transport
        held = _Held(real)
        self.transport = held  # type: ignore[assignment]
        try:
            await super().send(message)
        finally:
            self.transport = real
        return held

    def _flush(self, held: _Held) -> None:
        """The head (once) and what the cycle wrote, in one write; then the close it asked for."""
        head, self.head = self.head or b"", None
        data = head + b"".join(held.parts) if held.parts else head
        if data and not self.disconnected:
            self.transport.write(data)
        if held.closing:
            self.transport.close()


class OneWriteHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with `OneWriteCycle` for every request."""

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not None and type(cycle) is RequestResponseCycle:
            # Made just now by uvicorn (its task has not run yet: it starts on the next turn
            # of the loop, and a pipelined one later still): the same object, our `send`.
            cycle.__class__ = OneWriteCycle
