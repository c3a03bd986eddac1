"""Live-sale messages written straight onto the socket, with no ASGI send per subscriber.

When a sale's state changes, every subscriber of the live-sale lane (eventlane.py) gets the
same payload behind its own operation id. Sent the generic way, each message resumes the
subscriber's task and goes through Starlette's `WebSocket.send`, uvicorn's ASGI `send` and the
websockets library's frame object: tens of microseconds per subscriber, so with thousands of
them the fan-out of one state (a sale's SOLD_OUT) held the event loop for a good part of a
second while buys waited behind it. Here the sale's watcher itself writes each parked
subscriber's message as one complete unmasked text frame (RFC 6455 §5.2; a server never
masks) with `transport.write`, a few microseconds each, and the subscriber's task stays asleep.

Only on uvicorn's websockets-sans-I/O protocol (what the API runs: `ws="auto"` with websockets
installed), only while the connection is open both ways with no extension negotiated (the
API turns permessage-deflate off), and only while the transport is not over its high-water
mark (`writable`: a slow reader is not handed more). Otherwise `Direct.write` refuses and
the subscriber's task is woken to send the newest state the ordinary way, which waits for
the socket to drain. Whole frames only: the library's own writes (pings, close) are whole
frames too, so the two never interleave inside a frame.
"""

from __future__ import annotations

from typing import Any

from starlette.websockets import WebSocket
from websockets.protocol import State

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
except ImportError:  # pragma: no cover - uvicorn without websockets: no direct writes
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]


# The scope key under which `FlashMartApp` keeps a WebSocket's `send` as the server gave it.
RAW_SEND = "flashmart.raw_send"


def text_frame(data: bytes) -> bytes:
    """`data` as one final, unmasked text frame."""
    size = len(data)
    if size < 126:
        return b"\x81" + size.to_bytes(1, "big") + data
    if size < 65536:
        return b"\x81\x7e" + size.to_bytes(2, "big") + data
    return b"\x81\x7f" + size.to_bytes(8, "big") + data


class Direct:
    """Frame writes onto one subscriber's socket (`of` gives None when not possible)."""

    __slots__ = ("protocol", "transport")

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.transport = protocol.transport

    @classmethod
    def of(cls, websocket: WebSocket) -> Direct | None:
        """The direct writer of a socket served by uvicorn's sans-I/O protocol, else None.
        The app keeps the server's ASGI `send` in the scope (`RAW_SEND`: Starlette's routing
        wraps the one it passes on); uvicorn's is the protocol's bound method."""
        if WebSocketsSansIOProtocol is None:
            return None
        protocol = getattr(websocket.scope.get(RAW_SEND), "__self__", None)
        if not isinstance(protocol, WebSocketsSansIOProtocol):
            return None
        return cls(protocol)

    def ready(self) -> bool:
        """Open both ways, nothing negotiated that changes frames, and not backed up."""
        p = self.protocol
        return (
            p.handshake_complete
            and not p.disconnected
            and not p.close_sent
            and p.initial_response is None
            and p.writable.is_set()
            and p.conn.state is State.OPEN
            and not p.conn.extensions
            and not self.transport.is_closing()
        )

    def write(self, text: str) -> bool:
        """`text` sent as one frame now, or False (and nothing sent) when not `ready`."""
        if not self.ready():
            return False
        self.transport.write(text_frame(text.encode()))
        return True
