"""The load generator: its own process, N keep-alive HTTP/1.1 connections, one request in flight
on each (like wrk), per-request latency and outcome.

Run by `bench/run.py` as `python bench/loadgen.py SPEC.json OUT.json`. The spec names the
server, the connection count, the JWT secret and the phases; each phase is one request body
(the same for everyone: the shopper is in the token) sent once per (shopper, attempt), or
several (`bodies`) each sent once per (shopper, attempt).

Why not httpx or aiohttp: on a 2-core machine the client's CPU is taken from the server.
This client builds every request up front and parses only the status line, the length and
the outcome marker, so it costs a fraction of a core (its CPU per phase is in the results as
`cpu.cpu_seconds.loadgen`).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

# Outcome markers, searched in this order in the response body.
MARKERS: list[tuple[bytes, str]] = [
    (b'"QUEUED"', "ok"),
    (b'"ok":true', "ok"),
    (b'"code":"OK"', "ok"),
    (b"SOLD_OUT", "sold_out"),
    (b"ALREADY_PURCHASED", "already_purchased"),
    (b"LIMIT_EXCEEDED", "limit_exceeded"),
    (b"RATE_LIMITED", "rate_limited"),
    (b"NOT_ADMITTED", "not_admitted"),  # a waiting-room sale, no valid grant
    (b"NOT_STARTED", "not_started"),
    (b"ENDED", "ended"),
]
OUTCOMES = [*dict.fromkeys(name for _, name in MARKERS), "error"]
OUTCOME_INDEX = {name: i for i, name in enumerate(OUTCOMES)}


def classify(status: int, body: bytes) -> str:
    if status != 200:
        return "rate_limited" if b"RATE_LIMITED" in body else "error"
    for marker, name in MARKERS:
        if marker in body:
            return name
    return "error"


class ConnectionLost(Exception):
    pass


class HttpConnection(asyncio.Protocol):
    """One keep-alive connection; `request()` writes ready-made bytes and awaits the answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionLost(str(exc)))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._try_complete()

    def _try_complete(self) -> None:
        if self.waiter is None or self.waiter.done():
            return
        buf = self.buffer
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(buf[:end]).lower()
        status = int(head[9:12])
        start = end + 4
        pos = head.find(b"content-length:")
        if pos >= 0:
            stop = head.find(b"\r\n", pos)
            length = int(head[pos + 15 : stop if stop >= 0 else None])
            if len(buf) < start + length:
                return
            body = bytes(buf[start : start + length])
            del buf[: start + length]
        elif b"transfer-encoding: chunked" in head:
            body_parts: list[bytes] = []
            cursor = start
            while True:
                line_end = buf.find(b"\r\n", cursor)
                if line_end < 0:
                    return
                size = int(bytes(buf[cursor:line_end]).split(b";")[0], 16)
                chunk_start = line_end + 2
                if len(buf) < chunk_start + size + 2:
                    return
                if size == 0:
                    cursor = chunk_start + 2
                    break
                body_parts.append(bytes(buf[chunk_start : chunk_start + size]))
                cursor = chunk_start + size + 2
            body = b"".join(body_parts)
            del buf[:cursor]
        else:  # no length: the body ends with the connection (not expected from uvicorn)
            return
        self.waiter.set_result((status, body))

    async def request(self, data: bytes) -> tuple[int, bytes]:
        if self.closed or self.transport is None:
            raise ConnectionLost("closed")
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return await self.waiter

    def close(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.close()


@dataclass
class PhaseResult:
    name: str
    started_epoch: float = 0.0
    duration: float = 0.0
    sent: int = 0
    # per request, in completion order: seconds since phase start (send), latency s, outcome
    send_offsets: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    outcomes: list[int] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    timed_out: bool = False


def post_head(spec: dict[str, Any], path: str, body: bytes) -> bytes:
    """A JSON POST's request line and headers, open for one more header (Authorization)."""
    return (
        f"POST {path} HTTP/1.1\r\nHost: {spec['host']}:{spec['port']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    ).encode()


def signed_in(head: bytes, token: str, body: bytes) -> bytes:
    """The whole request of a shopper signed in with `token`."""
    return head + b"Authorization: Bearer " + token.encode() + b"\r\n\r\n" + body


def build_requests(
    spec: dict[str, Any], phase: dict[str, Any], tokens: dict[int, str]
) -> list[bytes]:
    # `bodies` (several sales at once: `run.py --cluster`): every shopper sends each of them.
    bodies = [
        json.dumps(one, separators=(",", ":")).encode()
        for one in phase.get("bodies") or [phase["body"]]
    ]
    heads = [post_head(spec, phase["path"], body) for body in bodies]
    order = [
        (uid, which)
        for _ in range(phase["attempts"])
        for uid in phase["users"]
        for which in range(len(bodies))
    ]
    if phase.get("shuffle_seed") is not None:
        random.Random(phase["shuffle_seed"]).shuffle(order)
    cache: dict[tuple[int, int], bytes] = {}
    out = []
    for key in order:
        data = cache.get(key)
        if data is None:
            uid, which = key
            data = signed_in(heads[which], tokens[uid], bodies[which])
            cache[key] = data
        out.append(data)
    return out


async def run_phase(
    spec: dict[str, Any], phase: dict[str, Any], conns: list[HttpConnection], requests: list[bytes]
) -> PhaseResult:
    result = PhaseResult(name=phase["name"])
    deadline_after = float(phase.get("max_seconds", 60))
    queue = iter(range(len(requests)))
    perf = time.perf_counter
    t0 = perf()
    result.started_epoch = time.time()
    deadline = t0 + deadline_after

    async def worker(slot: int) -> None:
        conn = conns[slot]
        for index in queue:
            if perf() > deadline:
                result.timed_out = True
                return
            data = requests[index]
            sent = perf()
            try:
                status, body = await conn.request(data)
                outcome = classify(status, body)
                if outcome == "error" and len(result.error_samples) < 5:
                    result.error_samples.append(f"{status}: {body[:300]!r}")
            except (ConnectionLost, OSError) as exc:
                outcome = "error"
                if len(result.error_samples) < 5:
                    result.error_samples.append(f"connection: {exc}")
                conn = await connect(spec)
                conns[slot] = conn
            done = perf()
            result.send_offsets.append(sent - t0)
            result.latencies.append(done - sent)
            result.outcomes.append(OUTCOME_INDEX[outcome])
            result.sent += 1

    await asyncio.gather(*(worker(i) for i in range(len(conns))))
    result.duration = perf() - t0
    return result


async def connect(spec: dict[str, Any]) -> HttpConnection:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_connection(HttpConnection, spec["host"], spec["port"])
    return protocol


# Between phases the orchestrator reads the servers' CPU counters; with a `control_dir` in
# the spec, phase i waits for its go-i file (after writing ready-i) and writes done-i (this
# process's CPU seconds in the phase) when it ends. The connections stay open meanwhile: the
# measured pass runs on connections the warm-up used, like shoppers who loaded the sale page.
async def handshake(spec: dict[str, Any], index: int) -> None:
    control = spec.get("control_dir")
    if control is None:
        return
    folder = Path(control)
    (folder / f"ready-{index}").touch()
    while not (folder / f"go-{index}").exists():
        await asyncio.sleep(0.005)


def report_done(spec: dict[str, Any], index: int, cpu_seconds: float) -> None:
    control = spec.get("control_dir")
    if control is not None:
        (Path(control) / f"done-{index}.tmp").write_text(json.dumps(cpu_seconds))
        (Path(control) / f"done-{index}.tmp").rename(Path(control) / f"done-{index}")


def mint_tokens(spec: dict[str, Any], users: set[int]) -> dict[int, str]:
    # The product's own token function, as a client would receive from tokenCreate.
    from flashmart.accounts.models import Role
    from flashmart.accounts.tokens import issue_access_token

    ttl = timedelta(minutes=30)
    return {
        uid: issue_access_token(user_id=uid, role=Role.CUSTOMER, secret=spec["secret"], ttl=ttl)
        for uid in sorted(users)
    }


async def main_async(spec: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    users: set[int] = set()
    for phase in spec["phases"]:
        users.update(phase["users"])
    tokens = mint_tokens(spec, users)
    mint_seconds = time.perf_counter() - started
    prepared = [build_requests(spec, phase, tokens) for phase in spec["phases"]]
    conns = list(await asyncio.gather(*(connect(spec) for _ in range(spec["connections"]))))
    cpu_before = time.process_time()
    phases = []
    for index, (phase, requests) in enumerate(zip(spec["phases"], prepared, strict=True)):
        await handshake(spec, index)
        phase_cpu = time.process_time()
        result = await run_phase(spec, phase, conns, requests)
        phases.append({**result.__dict__, "client_cpu_seconds": time.process_time() - phase_cpu})
        report_done(spec, index, phases[-1]["client_cpu_seconds"])
    cpu = time.process_time() - cpu_before
    for conn in conns:
        conn.close()
    return {
        "tokens_minted": len(tokens),
        "mint_seconds": mint_seconds,
        "client_cpu_seconds": cpu,
        "total_cpu_seconds": time.process_time(),
        "outcome_names": OUTCOMES,
        "phases": phases,
    }


def run_spec(work: Callable[[dict[str, Any]], Coroutine[Any, Any, dict[str, Any]]]) -> None:
    """`python <script> SPEC OUT`: run `work(spec)` (on uvloop when installed) and write its
    result as JSON; the load generator's and the live crowd's entry point."""
    spec_path, out_path = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = json.load(f)
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(work(spec))
    else:
        result = uvloop.run(work(spec))
    with open(out_path, "w") as f:
        json.dump(result, f)


def main() -> None:
    run_spec(main_async)


if __name__ == "__main__":
    main()
