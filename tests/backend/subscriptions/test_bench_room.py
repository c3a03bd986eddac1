"""The waiting-room scenario of `make bench` (docs/bench.md) in small: bench/room.py's entrants
against a real server join a WAITING_ROOM sale by the storefront's trusted documents, follow
their entry over graphql-ws and buy once admitted, and bench/report.py's figures come out of
their records. bench/ is not a package: its modules are imported from their folder."""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from flashmart.seckill import room
from flashmart.seckill.audit import audit
from flashmart.seckill.models import AdmissionMode
from tests.backend.live_server import live_server
from tests.backend.seckill.factories import drain, shoppers, warm_sale

BENCH = Path(__file__).resolve().parents[3] / "bench"
ENTRANTS = 30
UNITS = 4  # admission factor 3: 12 admitted at the draw, 4 of them buy a unit


@pytest.fixture
def bench() -> Iterator[dict[str, ModuleType]]:
    sys.path.insert(0, str(BENCH))
    try:
        yield {name: importlib.import_module(name) for name in ("room", "report", "documents")}
    finally:
        sys.path.remove(str(BENCH))


async def _until(path: Path, task: asyncio.Task[Any], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if task.done():
            task.result()  # its exception, if it failed
            raise AssertionError(f"the entrants ended before writing {path.name}")
        assert time.monotonic() < deadline, f"no {path.name} in {timeout} s"
        await asyncio.sleep(0.02)


async def test_the_bench_entrants_join_learn_their_place_and_the_admitted_buy(
    bench: dict[str, ModuleType],
    app_factory: Callable[..., Any],
    runtime: Runtime,
    settings: Settings,
    tmp_path: Path,
) -> None:
    users = [u.id for u in await shoppers(ENTRANTS)]
    event = await warm_sale(
        runtime, UNITS, starts_in=timedelta(seconds=5), admission_mode=AdmissionMode.WAITING_ROOM,
        lottery_window_seconds=0,
    )  # fmt: skip
    documents = bench["documents"]
    control = tmp_path / "control"
    control.mkdir()

    def build(base_url: str) -> Any:  # WebSockets on and uncompressed, as `flashmart serve`
        return app_factory(public_base_url=base_url, seckill_room_joins_per_ip_minute=1_000_000)

    server = live_server(build, ws="websockets-sansio", per_message_deflate=False, stop_timeout=15)
    async with server as base_url:
        address = urlsplit(base_url)
        spec = {
            "name": "0", "host": address.hostname, "port": address.port,
            "secret": settings.jwt_secret, "connections": 4,
            "entrants": [[uid, i / ENTRANTS] for i, uid in enumerate(users)],
            "join": documents.request("WaitingRoomJoin", {}),
            "buy": documents.request("SeckillBuy", {}),
            "subscription": documents.request("WaitingRoomUpdated", {}),
            "subscribe_seconds": 10, "max_seconds": 60, "control_dir": str(control),
        }  # fmt: skip
        task = asyncio.create_task(bench["room"].main_async(spec))
        await _until(control / "ready-0", task)
        gid = encode_id("SeckillEvent", event.id)
        (control / "go").write_text(
            json.dumps({"gid": gid, "joins_from": time.time(), "joins_until": time.time() + 1})
        )
        await _until(control / "joined-0", task)
        joined = json.loads((control / "joined-0").read_text())
        assert joined == {"joined": ENTRANTS, "subscribed": ENTRANTS}
        await asyncio.sleep(max(0.0, (event.starts_at - datetime.now(UTC)).total_seconds() + 0.1))
        draw_epoch = time.time()
        assert await room.tick(runtime) == {"drawn": 1, "admitted": UNITS * 3}
        deadline = time.monotonic() + 20
        while True:  # until the admitted have bought and the rest heard SOLD_OUT
            _, counters, _ = await room.RoomStore.of(runtime).read(event.id)
            remaining = int(await runtime.redis.get(runtime.keys.event_stock(event.id)))
            if remaining == 0 and counters is not None and counters.outstanding == UNITS * 2:
                break
            assert time.monotonic() < deadline, "the admitted did not buy the units"
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # the sold-out tick reaches those still waiting
        (control / "finish").write_text("{}")
        out = await asyncio.wait_for(task, 30)

    figures = bench["report"].room_figures([out], ENTRANTS, draw_epoch, [], UNITS)
    assert figures["joins"]["outcomes"] == {"joined": ENTRANTS}
    assert figures["problems"] == {}
    assert figures["positions"]["entrants"] == ENTRANTS
    assert figures["positions"]["with_position"] == ENTRANTS
    assert figures["admission"]["admitted"] == UNITS * 3
    assert figures["buys"]["requests"] == UNITS * 3
    assert figures["buys"]["outcomes"] == {"ok": UNITS, "sold_out": UNITS * 2}
    assert figures["final_states"] == {"ADMITTED": UNITS * 3, "SOLD_OUT": ENTRANTS - UNITS * 3}
    assert figures["messages_per_entrant"]["min"] >= 2  # WAITING, then a position or SOLD_OUT
    per = {p["user"]: p for p in out["per_entrant"]}
    record = await room.RoomStore.of(runtime).record(event.id)
    assert set(record.admitted) == {uid for uid, p in per.items() if p.get("buy")}
    for place, uid in enumerate(record.order, start=1):  # each heard its place in the draw
        assert place in {position for _, _, position in per[uid]["updates"]}
    await drain(runtime)
    report = await audit(runtime, event.id)
    assert report.passed and report.oversold == 0 and report.undersold == 0
    assert report.sold == UNITS
