"""The live crowd: many graphql-ws subscribers of one flash sale, in a process of their own.

Run by `bench/run.py` as `python bench/crowd.py SPEC.json OUT.json` (one or more processes,
each with its share of the subscribers). Each subscriber does what the storefront's sale
page does (frontend/src/lib/subscription-client.ts, features/seckill/api/queries.ts): a
WebSocket to `/graphql` with the `graphql-transport-ws` subprotocol, `connection_init` with
the page's connection params (`{}` for a visitor who has not signed in), `subscribe` with the
`FlashSaleUpdated` document (by its id: bench/documents.py), and a `pong` to every server
`ping`. It records when each `next` arrived and when the sale's status first read SOLD_OUT.

Stages, each bounded in time, driven by files in the spec's control directory:

1. connect    open the WebSockets and wait for `connection_ack` (a bounded number at once);
              write `connected-<n>`
2. subscribe  once `subscribe` names the sale: send `subscribe` on every connection and wait
              for each first `next`; write `subscribed-<n>`
3. hold       answer pings and count messages until `finish` gives a deadline: then wait until
              every open subscriber has seen SOLD_OUT or the deadline passes, send `complete`
              and a close frame, and write the results

Why raw frames over an asyncio protocol: on a 2-core machine the client's CPU is taken from
the server, and thousands of sockets through a full WebSocket library cost more than the few
frame types this needs (its CPU per stage is in the results).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from loadgen import run_spec

TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def client_frame(payload: bytes, opcode: int = TEXT) -> bytes:
    """One final frame, masked as a client must (RFC 6455 5.3)."""
    n = len(payload)
    if n < 126:
        head = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    mask = random.randbytes(4)
    if not n:
        return head + mask
    key = (mask * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "little") ^ int.from_bytes(key, "little")).to_bytes(
        n, "little"
    )
    return head + mask + masked


def message(data: dict[str, Any]) -> bytes:
    return client_frame(json.dumps(data, separators=(",", ":")).encode())


class Subscriber(asyncio.Protocol):
    """One storefront tab: a WebSocket carrying one `FlashSaleUpdated` subscription."""

    def __init__(self, upgrade: bytes, init_payload: dict[str, Any] | None = None) -> None:
        self.upgrade = upgrade
        # connection params as the storefront sends them: the page's language, no token (not
        # signed in); frontend/src/lib/subscription-client.ts
        self.init_payload = init_payload or {"language": "en"}
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        self.fragments = bytearray()
        loop = asyncio.get_running_loop()
        self.acked: asyncio.Future[None] = loop.create_future()
        self.first_next: asyncio.Future[None] = loop.create_future()
        self.sold_out: asyncio.Future[None] = loop.create_future()
        self.closed = asyncio.Event()
        self.sub_id = str(uuid.uuid4())
        # what the results report
        self.messages = 0
        self.pings = 0
        self.statuses: list[str] = []  # each status change, in order
        self.sold_out_at: float | None = None
        self.first_at: float | None = None
        self.active_at: float | None = None
        self.close_code: int | None = None
        self.error: str | None = None
        self.finishing = False

    # asyncio callbacks ------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(self.upgrade)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.finishing and self.error is None:
            self.error = f"connection lost ({exc or 'closed by the server'})"
        self._fail_waiters()
        self.closed.set()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[:end]).split(b"\r\n", 1)[0]
            if b" 101 " not in status:
                self.error = f"handshake refused: {status.decode(errors='replace')}"
                self.abort()
                return
            if b"sec-websocket-extensions" in bytes(self.buffer[:end]).lower():
                self.error = "the server compresses messages (this client reads plain frames)"
                self.abort()
                return
            del self.buffer[: end + 4]
            self.upgraded = True
            self.send({"type": "connection_init", "payload": self.init_payload})
        self._frames()

    # frames -----------------------------------------------------------------------------------
    def _frames(self) -> None:
        buf = self.buffer
        while len(buf) >= 2:
            b0, b1 = buf[0], buf[1]
            length, start = b1 & 0x7F, 2
            if length == 126:
                if len(buf) < 4:
                    return
                length, start = int.from_bytes(buf[2:4], "big"), 4
            elif length == 127:
                if len(buf) < 10:
                    return
                length, start = int.from_bytes(buf[2:10], "big"), 10
            if b1 & 0x80:  # servers do not mask; tolerate it anyway
                start += 4
            if len(buf) < start + length:
                return
            payload = bytes(buf[start : start + length])
            if b1 & 0x80:
                key = bytes(buf[start - 4 : start])
                payload = bytes(c ^ key[i % 4] for i, c in enumerate(payload))
            del buf[: start + length]
            self._frame(b0 & 0x80 != 0, b0 & 0x0F, payload)

    def _frame(self, final: bool, opcode: int, payload: bytes) -> None:
        if opcode == PING:
            self._write(client_frame(payload, PONG))
        elif opcode == CLOSE:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            if not self.finishing and self.error is None:
                self.error = f"closed by the server ({self.close_code})"
            self._write(client_frame(payload[:2], CLOSE))
            self.abort()
        elif opcode in (TEXT, 0):
            self.fragments += payload
            if final:
                text, self.fragments = bytes(self.fragments), bytearray()
                self._message(json.loads(text))

    def _message(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "ping":
            self.pings += 1
            self.send({"type": "pong"})
        elif kind == "connection_ack":
            if not self.acked.done():
                self.acked.set_result(None)
        elif kind == "next":
            now = time.time()
            self.messages += 1
            if self.first_at is None:
                self.first_at = now
            self.on_next(now, (msg.get("payload") or {}).get("data") or {})
            if not self.first_next.done():
                self.first_next.set_result(None)
        elif kind in ("error", "complete"):
            if self.error is None and not self.finishing:
                self.error = f"subscription {kind}: {json.dumps(msg.get('payload'))[:200]}"
            self._fail_waiters()

    def on_next(self, now: float, data: dict[str, Any]) -> None:
        """A `next` message's data: the sale's status changes."""
        status = (data.get("seckillEventUpdated") or {}).get("status")
        if not self.statuses or self.statuses[-1] != status:
            self.statuses.append(str(status))
        if status == "ACTIVE" and self.active_at is None:
            self.active_at = now
        if status == "SOLD_OUT" and self.sold_out_at is None:
            self.sold_out_at = now
            if not self.sold_out.done():
                self.sold_out.set_result(None)

    # helpers ----------------------------------------------------------------------------------
    def send(self, data: dict[str, Any]) -> None:
        self._write(message(data))

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _fail_waiters(self) -> None:
        for future in (self.acked, self.first_next, self.sold_out):
            if not future.done():
                future.set_exception(ConnectionError(self.error or "closed"))
                future.exception()  # retrieved: nobody may be waiting on it

    @property
    def open(self) -> bool:
        return self.upgraded and not self.closed.is_set()

    def subscribe(self, payload: dict[str, Any]) -> None:
        self.send({"id": self.sub_id, "type": "subscribe", "payload": payload})

    def finish(self) -> None:
        """Leave the page: complete the subscription, then a normal close."""
        self.finishing = True
        self.send({"id": self.sub_id, "type": "complete"})
        self._write(client_frame((1000).to_bytes(2, "big"), CLOSE))


def read_control(path: Path) -> Any | None:
    """A control file's JSON, or None while it is not there (a stat of a local file: cheaper
    than handing it to a thread)."""
    return json.loads(path.read_text()) if path.exists() else None


async def wait_for_control(path: Path, deadline: float) -> Any | None:
    """The file's JSON once the orchestrator has written it; None at the deadline."""
    while time.monotonic() < deadline:
        found = read_control(path)
        if found is not None:
            return found
        await asyncio.sleep(0.02)
    return None


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data))
    tmp.rename(path)


SubscriberT = TypeVar("SubscriberT", bound=Subscriber)


def upgrade_request(host: str) -> bytes:
    """The WebSocket handshake a browser on the storefront's page sends to `host`."""
    key = base64.b64encode(os.urandom(16)).decode()
    return (
        f"GET /graphql HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Protocol: graphql-transport-ws\r\nOrigin: http://{host}\r\n"
        # What browsers offer; the API declines it (flashmart serve: ws_per_message_deflate).
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
    ).encode()


async def open_one(
    spec: dict[str, Any], factory: Callable[[], SubscriberT], deadline: float
) -> SubscriberT | str:
    """A subscriber's WebSocket, open and acknowledged; or why not."""
    loop = asyncio.get_running_loop()
    sub: SubscriberT | None = None
    try:
        _, sub = await asyncio.wait_for(
            loop.create_connection(factory, spec["host"], spec["port"]),
            timeout=max(0.1, deadline - time.monotonic()),
        )
        await asyncio.wait_for(sub.acked, timeout=max(0.1, deadline - time.monotonic()))
    except (OSError, ConnectionError, TimeoutError) as exc:
        if sub is not None:
            sub.abort()
            return f"{type(exc).__name__}: {sub.error or exc}"
        return f"{type(exc).__name__}: {exc}"
    return sub


async def main_async(spec: dict[str, Any]) -> dict[str, Any]:
    control = Path(spec["control_dir"])
    tag = spec["name"]
    hard_deadline = time.monotonic() + spec["max_seconds"]
    upgrade = upgrade_request(f"{spec['host']}:{spec['port']}")
    cpu: dict[str, float] = {}
    failures: dict[str, int] = {}

    # 1. connect (at most `open_at_once` handshakes in flight) --------------------------------
    started, cpu0 = time.monotonic(), time.process_time()
    deadline = min(hard_deadline, started + spec["connect_seconds"])
    gate = asyncio.Semaphore(spec["open_at_once"])

    async def gated() -> Subscriber | str:
        async with gate:
            if time.monotonic() > deadline:
                return "TimeoutError: connect stage over"
            return await open_one(spec, lambda: Subscriber(upgrade), deadline)

    opened = await asyncio.gather(*(gated() for _ in range(spec["subscribers"])))
    subs = [s for s in opened if isinstance(s, Subscriber)]
    for problem in (s for s in opened if isinstance(s, str)):
        failures[problem[:120]] = failures.get(problem[:120], 0) + 1
    connect_s = time.monotonic() - started
    cpu["connect"] = time.process_time() - cpu0
    write_json(
        control / f"connected-{tag}",
        {"connected": len(subs), "failed": len(opened) - len(subs), "seconds": connect_s},
    )

    # 2. subscribe ----------------------------------------------------------------------------
    cpu0 = time.process_time()
    subscribe_s = None
    sale = await wait_for_control(control / "subscribe", hard_deadline)
    if sale is not None:
        payload = {
            **spec["document"],  # {"documentId": …, "query": ""}, as graphql-ws sends it
            "operationName": spec["operation_name"],
            "variables": {"id": sale["gid"]},
        }
        started = time.monotonic()
        deadline = min(hard_deadline, started + spec["subscribe_seconds"])
        for sub in subs:
            if sub.open:
                sub.subscribe(payload)
        await asyncio.wait(
            [asyncio.ensure_future(s.first_next) for s in subs],
            timeout=max(0.1, deadline - time.monotonic()),
        )
        subscribe_s = time.monotonic() - started
    cpu["subscribe"] = time.process_time() - cpu0
    write_json(
        control / f"subscribed-{tag}",
        {
            "subscribed": sum(1 for s in subs if s.first_at is not None and s.open),
            "seconds": subscribe_s,
        },
    )

    # 3. hold until the orchestrator says when to give up on SOLD_OUT ------------------------
    cpu0 = time.process_time()
    finish = await wait_for_control(control / "finish", hard_deadline)
    if finish is not None:
        give_up_epoch = finish["deadline_epoch"]
        remaining = max(0.1, min(hard_deadline - time.monotonic(), give_up_epoch - time.time()))
        waiting = [asyncio.ensure_future(s.sold_out) for s in subs if s.open and not s.sold_out_at]
        if waiting:
            await asyncio.wait(waiting, timeout=remaining)
    cpu["hold"] = time.process_time() - cpu0
    held_at_end = sum(1 for s in subs if s.open)
    for sub in subs:
        if sub.open:
            sub.finish()
    closing = [asyncio.ensure_future(s.closed.wait()) for s in subs if not s.closed.is_set()]
    if closing:
        await asyncio.wait(closing, timeout=3)
    for sub in subs:
        sub.abort()
    return {
        "name": tag,
        "subscribers": spec["subscribers"],
        "connected": len(subs),
        "connect_failures": failures,
        "connect_seconds": connect_s,
        "subscribe_seconds": subscribe_s,
        "held_at_end": held_at_end,
        "cpu_seconds": cpu,
        "total_cpu_seconds": time.process_time(),
        "per_subscriber": [
            {
                "messages": s.messages,
                "pings": s.pings,
                "statuses": s.statuses,
                "first_at": s.first_at,
                "active_at": s.active_at,
                "sold_out_at": s.sold_out_at,
                "close_code": s.close_code,
                "error": s.error,
            }
            for s in subs
        ],
    }


def main() -> None:
    run_spec(main_async)


if __name__ == "__main__":
    main()
