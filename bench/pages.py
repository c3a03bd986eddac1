"""Page loads of the sale page, as a shopper's first visit makes them, during the live crowd.

A visit is what a browser with an empty cache does on `/flash-sales/<id>`: one new connection,
the HTML (`Accept-Encoding: gzip`), then every script, style sheet and module preload the HTML
references (`Accept-Encoding: br, gzip`, up to `PARALLEL` at once on their own connections, as
a browser opens several), then the page's own data query (`FlashSaleDetail`, by its documentId as
the storefront sends it). The time of a visit is from the first byte sent until the last
answer is read; the bytes are what crossed the wire (compressed).

Run by `bench/run.py` during the live crowd as `python bench/pages.py SPEC.json OUT.json`, in
a process of its own (beside the subscribers' processes, whose timing it must not disturb):
it waits for the crowd's `subscribe` control file (the sale and its start), visits at a steady
rate from the sale's start until `finish` appears, and writes every visit's record. The page
loads compete with the buys for the API processes' CPU exactly as they do under `make run`,
where the API serves the build.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import documents
from crowd import wait_for_control
from loadgen import run_spec

PARALLEL = 6  # connections a browser opens to one host
ASSET = re.compile(rb'(?:src|href)="(/assets/[^"]+\.(?:js|css))"')

# frontend/src/features/seckill/api/queries.ts, FlashSaleDetailQuery, as the storefront sends it.
DETAIL_OPERATION = "FlashSaleDetail"


@dataclass
class Visit:
    started: float  # epoch seconds
    seconds: float = 0.0
    bytes: int = 0
    requests: int = 0
    error: str | None = None
    statuses: dict[str, int] = field(default_factory=dict)


class HttpError(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if not size:
                break
            parts.append(chunk[:-2])
        body = b"".join(parts)
    else:
        body = await reader.read()
    return status, headers, body if status != 304 else b""


class Client:
    """One keep-alive connection of a visit."""

    def __init__(self, host: str, port: int, visit: Visit) -> None:
        self.host, self.port, self.visit = host, port, visit
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        reused = self.writer is not None
        try:
            status, got, payload = await self._exchange(raw)
        except (asyncio.IncompleteReadError, ConnectionResetError) as exc:
            # The server closed a keep-alive connection that sat idle (its keep-alive timeout)
            # before this request reached it: as a browser does, send it again on a new one.
            if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                raise
            self.close()
            status, got, payload = await self._exchange(raw)
        self.visit.requests += 1
        self.visit.bytes += len(payload)
        key = str(status)
        self.visit.statuses[key] = self.visit.statuses.get(key, 0) + 1
        if status >= 400:
            raise HttpError(f"{method} {path}: HTTP {status}")
        return status, got, payload

    async def _exchange(self, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(raw)
        return await _read_response(self.reader)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def visit(host: str, port: int, event_gid: str, event_id: int) -> Visit:
    """One first visit of the sale page; never raises (a failure is in `Visit.error`)."""
    record = Visit(started=time.time())
    began = time.perf_counter()
    clients = [Client(host, port, record) for _ in range(PARALLEL)]
    try:
        _, headers, html = await clients[0].request(
            "GET", f"/flash-sales/{event_id}",
            {"Accept": "text/html", "Accept-Encoding": "gzip"},
        )  # fmt: skip
        if headers.get("content-encoding") == "gzip":
            html = gzip.decompress(html)
        assets = list(dict.fromkeys(m.decode() for m in ASSET.findall(html)))
        if not assets:
            raise HttpError("the page references no /assets (is the frontend built?)")

        async def fetch_all(client: Client, paths: list[str]) -> None:
            for path in paths:
                await client.request("GET", path, {"Accept": "*/*", "Accept-Encoding": "br, gzip"})

        await asyncio.gather(
            *(
                fetch_all(c, assets[i::PARALLEL])
                for i, c in enumerate(clients)
                if assets[i::PARALLEL]
            )
        )
        body = json.dumps(documents.request(DETAIL_OPERATION, {"id": event_gid})).encode()
        _, _, answer = await clients[0].request(
            "POST", "/graphql",
            {"Content-Type": "application/json", "Accept": "application/graphql-response+json"},
            body,
        )  # fmt: skip
        if b'"seckillEvent":{' not in answer:
            raise HttpError(f"the sale query failed: {answer[:200]!r}")
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, HttpError) as exc:
        record.error = f"{type(exc).__name__}: {exc}"[:160]
    finally:
        for client in clients:
            client.close()
    record.seconds = time.perf_counter() - began
    return record


async def run_visits(
    host: str,
    port: int,
    event_gid: str,
    event_id: int,
    *,
    per_second: float,
    start_epoch: float,
    stop: asyncio.Event,
) -> list[dict[str, Any]]:
    """Visits at a steady rate from `start_epoch` until `stop` is set; their records."""
    if per_second <= 0:
        return []
    await asyncio.sleep(max(0.0, start_epoch - time.time()))
    tasks: list[asyncio.Task[Visit]] = []
    interval = 1.0 / per_second
    next_at = time.monotonic()
    while not stop.is_set():
        tasks.append(asyncio.ensure_future(visit(host, port, event_gid, event_id)))
        next_at += interval
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=max(0.0, next_at - time.monotonic()))
    done = await asyncio.gather(*tasks)
    return [
        {
            "started": v.started,
            "seconds": v.seconds,
            "bytes": v.bytes,
            "requests": v.requests,
            "error": v.error,
            "statuses": v.statuses,
        }
        for v in done
    ]


async def main_async(spec: dict[str, Any]) -> dict[str, Any]:
    control = Path(spec["control_dir"])
    hard_deadline = time.monotonic() + spec["max_seconds"]
    sale = await wait_for_control(control / "subscribe", hard_deadline)
    if sale is None:
        return {"page_loads": [], "cpu_seconds": time.process_time()}
    stop = asyncio.Event()

    async def stop_at_finish() -> None:
        await wait_for_control(control / "finish", hard_deadline)
        stop.set()

    stopper = asyncio.ensure_future(stop_at_finish())
    visits = await run_visits(
        spec["host"], spec["port"], sale["gid"], sale["event_id"],
        per_second=spec["per_second"], start_epoch=sale["starts_epoch"], stop=stop,
    )  # fmt: skip
    await stopper
    return {"page_loads": visits, "cpu_seconds": time.process_time()}


if __name__ == "__main__":
    run_spec(main_async)
