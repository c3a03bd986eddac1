"""The waiting room's entrants: shoppers who join a WAITING_ROOM sale, follow their entry over
graphql-ws and buy once admitted, in a process of their own.

Run by `bench/run.py` as `python bench/room.py SPEC.json OUT.json` (one or more processes,
each with its share of the entrants). Each entrant does what a storefront tab does with the
documents of `frontend/src/features/seckill/api/` (`WaitingRoomJoin` in mutations.ts,
`WaitingRoomUpdated` in queries.ts; by id: bench/documents.py): at its moment in the join
window, `WaitingRoomJoin` over HTTP; then a WebSocket to `/graphql` (`graphql-transport-ws`,
`connection_init` with `{"authorization": "Bearer …"}` as frontend/src/lib/subscription-client.ts
sends it), `subscribe` with `WaitingRoomUpdated`; on the first ADMITTED message with a grant,
`SeckillBuy` over HTTP. It records each message's time, state and position, and each request's
send and answer times and outcome.

Stages, driven by files in the spec's control directory:

1. ready  tokens minted (the product's own function), requests built, the HTTP connections
          open; write `ready-<n>`
2. join   once `go` gives the join window (epochs) and the sale: each entrant joins at
          `from + fraction x (until - from)` and subscribes; write `joined-<n>` once all have
          their first message (or gave up after `subscribe_seconds`), if before `finish`
3. hold   answer pings, record messages, buy when admitted, until `finish`: then stop joins
          still under way (an entrant that had not joined by then is reported so), wait for
          the buys in flight (up to 10 s), close every WebSocket and write the results
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from crowd import Subscriber, open_one, upgrade_request, wait_for_control, write_json
from loadgen import (
    ConnectionLost,
    HttpConnection,
    classify,
    connect,
    mint_tokens,
    post_head,
    run_spec,
    signed_in,
)


class Entrant(Subscriber):
    """One shopper's tab on a waiting-room sale: its `WaitingRoomUpdated` subscription."""

    def __init__(self, upgrade: bytes, token: str, on_admitted: Any) -> None:
        super().__init__(upgrade, {"authorization": f"Bearer {token}", "language": "en"})
        self.on_admitted = on_admitted
        self.updates: list[tuple[float, str, int | None]] = []  # (epoch, state, position)
        self.admitted_at: float | None = None
        self.completed = False

    def on_next(self, now: float, data: dict[str, Any]) -> None:
        entry = data.get("waitingRoomUpdated") or {}
        state = str(entry.get("state"))
        self.updates.append((now, state, entry.get("position")))
        if state == "ADMITTED" and entry.get("grantExpiresAt") and self.admitted_at is None:
            self.admitted_at = now
            self.on_admitted()

    def _message(self, msg: dict[str, Any]) -> None:
        if msg.get("type") == "complete":  # the server ends it: the grant used, or missed
            self.completed = True
            return
        super()._message(msg)


class Pool:
    """Keep-alive HTTP connections shared by the process's entrants, one request at a time on
    each (a shopper waits for a free one, as a browser waits for a free socket)."""

    def __init__(self, spec: dict[str, Any], conns: list[HttpConnection]) -> None:
        self.spec = spec
        self.free: asyncio.Queue[HttpConnection] = asyncio.Queue()
        for conn in conns:
            self.free.put_nowait(conn)

    async def request(self, data: bytes) -> tuple[float, float, int, bytes]:
        """(sent epoch, answered epoch, status, body); status 0 when the connection failed."""
        conn = await self.free.get()
        sent = time.time()
        try:
            for again in (True, False):
                try:
                    status, body = await conn.request(data)
                    break
                except (ConnectionLost, OSError) as exc:
                    # closed while idle (the server's keep-alive timeout): send it again on a
                    # new connection, as a browser does
                    status, body = 0, str(exc).encode()
                    conn = await connect(self.spec)
                    if not again:
                        break
        finally:
            self.free.put_nowait(conn)
        return sent, time.time(), status, body


def join_outcome(status: int, body: bytes) -> str:
    if status == 200 and b'"arrival"' in body:
        return "joined"
    if b"RATE_LIMITED" in body:
        return "rate_limited"
    for code in (b"NOT_IN_JOIN_WINDOW", b"SOLD_OUT", b"NOT_WAITING_ROOM", b"NOT_FOUND"):
        if code in body:
            return code.decode().lower()
    return "error"


async def main_async(spec: dict[str, Any]) -> dict[str, Any]:
    control = Path(spec["control_dir"])
    tag = spec["name"]
    hard_deadline = time.monotonic() + spec["max_seconds"]
    entrants: list[tuple[int, float]] = [(int(u), float(f)) for u, f in spec["entrants"]]
    tokens = mint_tokens(spec, {uid for uid, _ in entrants})
    upgrade = upgrade_request(f"{spec['host']}:{spec['port']}")
    # Joins and buys on connections of their own: a tab's buy does not wait behind other
    # shoppers' joins (half of `connections` each).
    half = max(1, spec["connections"] // 2)
    opened = await asyncio.gather(*(connect(spec) for _ in range(2 * half)))
    joins, buys_pool = Pool(spec, opened[:half]), Pool(spec, opened[half:])
    cpu: dict[str, float] = {}
    write_json(control / f"ready-{tag}", {"entrants": len(entrants)})

    go = await wait_for_control(control / "go", hard_deadline)
    if go is None:
        raise SystemExit("no `go` from the orchestrator")
    cpu0 = time.process_time()
    variables = {"eventId": go["gid"]}

    def body(document: dict[str, Any]) -> bytes:
        return json.dumps({**document, "variables": variables}, separators=(",", ":")).encode()

    join_body, buy_body = body(spec["join"]), body(spec["buy"])
    join_head, buy_head = (
        post_head(spec, "/graphql", join_body),
        post_head(spec, "/graphql", buy_body),
    )
    subscribe = {**spec["subscription"], "query": "", "variables": variables}
    records: dict[int, dict[str, Any]] = {}
    subs: dict[int, Entrant] = {}
    buys: list[asyncio.Task[None]] = []

    async def buy(uid: int) -> None:
        record = records[uid]
        sent, done, status, answer = await buys_pool.request(
            signed_in(buy_head, tokens[uid], buy_body)
        )
        record["buy"] = [sent, done, classify(status, answer) if status else "error"]
        if record["buy"][2] == "error":
            record["error"] = f"buy: {status} {answer[:200].decode(errors='replace')}"

    async def one(uid: int, fraction: float) -> None:
        record = records[uid] = {"user": uid}
        at = go["joins_from"] + fraction * (go["joins_until"] - go["joins_from"])
        await asyncio.sleep(max(0.0, at - time.time()))
        sent, done, status, answer = await joins.request(
            signed_in(join_head, tokens[uid], join_body)
        )
        record["join"] = [sent, done, join_outcome(status, answer)]
        if record["join"][2] != "joined":  # an answer other than a refusal is a problem
            if record["join"][2] in ("error", "rate_limited"):
                record["error"] = f"join: {status} {answer[:200].decode(errors='replace')}"
            return

        def admitted() -> None:
            buys.append(asyncio.ensure_future(buy(uid)))

        tab = await open_one(spec, lambda: Entrant(upgrade, tokens[uid], admitted), hard_deadline)
        if isinstance(tab, str):
            record["error"] = tab
            return
        subs[uid] = tab
        tab.subscribe(subscribe)
        try:
            await asyncio.wait_for(tab.first_next, timeout=spec["subscribe_seconds"])
        except (ConnectionError, TimeoutError) as exc:
            record["error"] = tab.error or f"no first message ({type(exc).__name__})"

    joining = asyncio.ensure_future(
        asyncio.gather(*(one(uid, fraction) for uid, fraction in entrants))
    )
    finish = asyncio.ensure_future(wait_for_control(control / "finish", hard_deadline))
    await asyncio.wait([joining, finish], return_when=asyncio.FIRST_COMPLETED)
    cpu["join"] = time.process_time() - cpu0
    if joining.done():
        write_json(
            control / f"joined-{tag}",
            {
                "joined": sum(
                    1 for r in records.values() if r.get("join", [0, 0, ""])[2] == "joined"
                ),
                "subscribed": sum(1 for s in subs.values() if s.first_at is not None),
            },
        )

    cpu0 = time.process_time()
    await finish
    if not joining.done():  # joins that fell so far behind that the scenario ended first
        joining.cancel()
        await asyncio.gather(joining, return_exceptions=True)
    if buys:
        await asyncio.wait(buys, timeout=10)
    cpu["hold"] = time.process_time() - cpu0
    held_at_end = sum(1 for s in subs.values() if s.open)
    for sub in subs.values():
        if sub.open:
            sub.finish()
    closing = [
        asyncio.ensure_future(s.closed.wait()) for s in subs.values() if not s.closed.is_set()
    ]
    if closing:
        await asyncio.wait(closing, timeout=3)
    for sub in subs.values():
        sub.abort()
    for pool in (joins, buys_pool):
        while not pool.free.empty():
            pool.free.get_nowait().close()
    for uid, sub in subs.items():
        records[uid].update(
            updates=sub.updates,
            admitted_at=sub.admitted_at,
            completed=sub.completed,
            pings=sub.pings,
            dropped=sub.error,
        )
    return {
        "name": tag,
        "entrants": len(entrants),
        "held_at_end": held_at_end,
        "cpu_seconds": cpu,
        "total_cpu_seconds": time.process_time(),
        "per_entrant": list(records.values()),
    }


def main() -> None:
    run_spec(main_async)


if __name__ == "__main__":
    main()
