"""A sale watcher hands a new state to thousands of subscribers without holding the event loop.

Each subscriber of `event_updates` is a task of its own; waking them all in one go runs them
back to back before the loop reads any socket, so every buy that arrived meanwhile waits. The
watcher wakes them a slice at a time: other work gets turns while a state goes out, and every
subscriber still receives it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.seckill import live
from flashmart.seckill.buy import buy
from flashmart.seckill.events import SeckillStatus, warm_up
from tests.backend.seckill.factories import relaxed, sale

SUBSCRIBERS = 1_000


async def test_a_state_reaches_every_subscriber_while_the_loop_keeps_turning(
    settings: Settings, db: None
) -> None:
    async with Runtime.open(settings, broker=True) as runtime:
        event = await sale(1)
        await warm_up(runtime, event.id)
        seen: list[list[live.EventSnapshot]] = [[] for _ in range(SUBSCRIBERS)]
        sold_out = asyncio.Event()
        done_count = 0

        async def watch(index: int) -> None:
            nonlocal done_count
            stream: AsyncIterator[live.EventSnapshot] = live.event_updates(
                runtime, event.id, rate=20
            )
            async for snap in stream:
                seen[index].append(snap)
                if snap.status is SeckillStatus.SOLD_OUT:
                    done_count += 1
                    if done_count == SUBSCRIBERS:
                        sold_out.set()
                    break

        watchers = [asyncio.create_task(watch(i)) for i in range(SUBSCRIBERS)]
        while sum(1 for s in seen if s) < SUBSCRIBERS:
            await asyncio.sleep(0.01)
        assert len(live.live_sales(runtime).watchers) == 1  # one reader for them all

        # A probe that records when the loop let it run, while the SOLD_OUT state goes out.
        turns: list[int] = []

        async def probe() -> None:
            while not sold_out.is_set():
                turns.append(done_count)
                await asyncio.sleep(0)

        prober = asyncio.create_task(probe())
        await buy(relaxed(runtime), user_id=1, event_id=event.id, quantity=1, client_ip="10.0.0.1")
        started = time.monotonic()
        await asyncio.wait_for(sold_out.wait(), timeout=10)
        await prober
        await asyncio.gather(*watchers)

        assert all(s[-1].status is SeckillStatus.SOLD_OUT for s in seen)
        assert all(s[-1].remaining == 0 for s in seen)
        # The probe ran between subscribers' wake-ups: at turns where some, not all, had it.
        partial = {n for n in turns if 0 < n < SUBSCRIBERS}
        assert len(partial) >= live.FAN_OUT_TURNS - 1, sorted(partial)
        assert time.monotonic() - started < 5
