"""seckillEventUpdated fanned out: one reader per sale per API process, however many watch.

Real `flashmart serve` processes on a Redis of the test's own, so `INFO commandstats` counts
only their reads; hundreds of subscriptions over a few graphql-transport-ws sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect

from flashmart.core import embedded_redis
from flashmart.core.errors import DomainFailure
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill.buy import buy
from flashmart.seckill.events import warm_up
from tests.backend.seckill.factories import relaxed, sale
from tests.backend.subscriptions.conftest import ws_url

pytestmark = pytest.mark.slow

EVENT_UPDATED = (
    "subscription($id: ID!) { seckillEventUpdated(id: $id) { id remainingStock status } }"
)
RATE = 4.0
PER_SOCKET = 50
UNITS = 40
WINDOW = 2.0


class Watchers:
    """`count` subscriptions of one sale over sockets spread evenly over the processes."""

    def __init__(self, urls: list[str], count: int, gid: str) -> None:
        self.urls, self.count, self.gid = urls, count, gid
        self.received: dict[str, list[dict[str, Any]]] = {}
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> Watchers:
        # Every process gets sockets, each holding up to PER_SOCKET subscriptions.
        sockets = max(len(self.urls), -(-self.count // PER_SOCKET))
        ids = [f"s{n}" for n in range(self.count)]
        for index in range(sockets):
            url = self.urls[index % len(self.urls)]
            self._tasks.append(asyncio.create_task(self._socket(url, ids[index::sockets])))
        await self.wait(self._all_started)
        return self

    def _all_started(self) -> bool:
        started = [v for v in self.received.values() if v]
        return len(started) == self.count

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _socket(self, base_url: str, ids: list[str]) -> None:
        async with connect(ws_url(base_url), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            for sub_id in ids:
                self.received[sub_id] = []
                await ws.send(json.dumps({
                    "id": sub_id, "type": "subscribe",
                    "payload": {"query": EVENT_UPDATED, "variables": {"id": self.gid}},
                }))  # fmt: skip
            await self._read(ws)

    async def _read(self, ws: ClientConnection) -> None:
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif message["type"] == "next":
                self.received[message["id"]].append(message["payload"]["data"])

    async def wait(self, check: Callable[[], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"not reached in {timeout} s")
            for task in self._tasks:
                if task.done():
                    task.result()  # a socket that failed says why
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def private_redis(tmp_path: Path) -> AsyncIterator[str]:
    server = embedded_redis.start(tmp_path / "redis", reuse=False)
    try:
        yield server.url
    finally:
        server.stop()


async def _reads(redis: Redis) -> int:
    """The live-state reads so far: a watcher's read is one GET of the stock (and an HGET)."""
    stats = await redis.info("commandstats")
    return int(stats.get("cmdstat_get", {}).get("calls", 0))


async def _gets_in_window(redis: Redis) -> int:
    before = await _reads(redis)
    await asyncio.sleep(WINDOW)
    return await _reads(redis) - before


async def test_reads_do_not_grow_with_subscribers_and_each_hears_sold_out_once(
    api_processes: Callable[..., Any], runtime: Runtime, tmp_path: Path
) -> None:
    async with private_redis(tmp_path) as url:
        settings = relaxed(runtime).settings.model_copy(update={"redis_url": url})
        async with Runtime.open(settings) as mine:
            event = await sale(UNITS)
            await warm_up(mine, event.id)
            gid = encode_id("SeckillEvent", event.id)
            env = {
                "REDIS_URL": url,
                "SUBSCRIPTION_EVENT_RATE": str(RATE),
                "SUBSCRIPTION_MAX_PER_CONNECTION": str(PER_SOCKET),
            }
            async with api_processes(2, **env) as urls:
                async with Watchers(urls, 10, gid):
                    few = await _gets_in_window(mine.redis)
                async with Watchers(urls, 500, gid) as many:
                    crowd = await _gets_in_window(mine.redis)
                    # Two processes, one watcher each, RATE reads a second: the same for
                    # 10 and for 500 subscribers (per-subscriber reading would be 50x).
                    ceiling = 2 * RATE * WINDOW + 4
                    assert few <= ceiling and crowd <= ceiling, (few, crowd)
                    assert abs(crowd - few) <= 4, (few, crowd)

                    async def attempt(user_id: int) -> None:
                        with contextlib.suppress(DomainFailure):
                            await buy(mine, user_id=user_id, event_id=event.id, quantity=1,
                                      client_ip="10.0.0.1")  # fmt: skip

                    await asyncio.gather(*(attempt(u) for u in range(1, UNITS * 2 + 1)))

                    def everyone_heard() -> bool:
                        return all(
                            items[-1]["seckillEventUpdated"]["status"] == "SOLD_OUT"
                            for items in many.received.values()
                        )

                    await many.wait(everyone_heard, timeout=10)
                    await asyncio.sleep(1.0)  # anything after the final state would show now
                    for items in many.received.values():
                        states = [i["seckillEventUpdated"] for i in items]
                        assert states[0] == {"id": gid, "remainingStock": UNITS, "status": "ACTIVE"}
                        finals = [s for s in states if s["status"] == "SOLD_OUT"]
                        assert finals == [{"id": gid, "remainingStock": 0, "status": "SOLD_OUT"}]
                        assert states[-1] == finals[0]
