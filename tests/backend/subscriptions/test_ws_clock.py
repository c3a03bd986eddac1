"""One clock per process pings every socket and renews every slot, in rounds.

Many sockets on one real server: each is pinged directly (no task per socket woken for it), its
slot is renewed by pipelines of the round's heartbeats, and the rounds stay as few as the
clock's gap allows however many sockets there are.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from flashmart.core.runtime import Runtime
from flashmart.graphql.ws_clock import ConnectionClock
from flashmart.graphql.ws_limits import STALE_AFTER_HEARTBEATS
from tests.backend.subscriptions.conftest import serving_view, ws_url

SOCKETS = 60
PING = 0.3
HEARTBEAT = 0.2
HOLD = 1.5


async def _hold(base_url: str, pings: list[int], index: int, stop: asyncio.Event) -> bool:
    """One anonymous socket answering every ping until `stop`; True if it stayed open."""
    protocol = [Subprotocol("graphql-transport-ws")]
    ws: ClientConnection
    async with connect(ws_url(base_url), subprotocols=protocol) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=0.1)
            except TimeoutError:
                continue
            if json.loads(raw)["type"] == "ping":
                pings[index] += 1
                await ws.send(json.dumps({"type": "pong"}))
        return ws.close_code is None


async def test_every_socket_is_pinged_and_renewed_by_one_clock_in_few_rounds(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    overrides = {
        "subscription_ping_interval_seconds": PING,
        "subscription_heartbeat_seconds": HEARTBEAT,
        "subscription_max_anonymous_per_address": SOCKETS + 5,
    }
    key = runtime.keys.ws_anonymous_connections("127.0.0.1")
    async with serving_view(app_factory, **overrides) as (base_url, view):
        pings = [0] * SOCKETS
        stop = asyncio.Event()
        holders = [asyncio.create_task(_hold(base_url, pings, i, stop)) for i in range(SOCKETS)]
        try:
            for _ in range(200):
                if len(await runtime.redis.zrange(key, 0, -1)) == SOCKETS:
                    break
                await asyncio.sleep(0.05)
            clock: ConnectionClock = view.ws_clock  # type: ignore[attr-defined]
            rounds_before = clock.rounds
            first = dict(await runtime.redis.zrange(key, 0, -1, withscores=True))
            started = time.monotonic()
            await asyncio.sleep(HOLD)
            elapsed = time.monotonic() - started
            later = dict(await runtime.redis.zrange(key, 0, -1, withscores=True))
        finally:
            stop.set()
            open_to_the_end = await asyncio.gather(*holders)
        assert all(open_to_the_end)
        assert len(first) == SOCKETS
        # Every slot renewed (three intervals unrenewed would have made it stale).
        assert HOLD > HEARTBEAT * STALE_AFTER_HEARTBEATS
        assert all(later[member] > score for member, score in first.items())
        # Every socket pinged several times, every ping written onto its socket directly.
        assert min(pings) >= 3
        assert clock.direct_pings >= sum(pings)
        # Rounds: bounded by the clock's gap, not multiplied by the sockets.
        assert clock.gap == HEARTBEAT / 4
        assert 0 < clock.rounds - rounds_before <= elapsed / clock.gap + 2
        assert clock.beat_pipelines <= clock.rounds
