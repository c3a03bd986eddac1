"""A sale's live state for subscribers: remaining stock and status, at most `rate` times a second.

Stock changes on every purchase, and purchases do not publish anything: the buy path stays one
Lua call. Instead each subscriber reads the live state (`SaleStore.read_states`, one pipelined
round trip) once per 1/rate seconds and sends it only when it changed. Under a storm of
thousands of buys a second a subscriber therefore costs `rate` Redis reads a second and
receives at most `rate` updates a second, each with the latest stock, and the final state
(sold out, ended) always goes out within 1/rate seconds. Changes that the stock does not show
(an admin edits the sale, the worker closes it) arrive on the event's channel
(`announce.publish_event_updated`) and reload the event from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from flashmart.core.runtime import Runtime
from flashmart.seckill import events
from flashmart.seckill.announce import event_channel
from flashmart.seckill.models import SeckillEvent
from flashmart.seckill.store import SaleStore, WarmState


@dataclass(frozen=True)
class EventSnapshot:
    event: SeckillEvent
    warm: WarmState | None
    remaining: int
    status: events.SeckillStatus

    @property
    def key(self) -> tuple[int, events.SeckillStatus]:
        return self.remaining, self.status


async def snapshot(runtime: Runtime, event: SeckillEvent) -> EventSnapshot:
    states = await SaleStore.of(runtime).read_states([event.id])
    warm = states.get(event.id)
    return EventSnapshot(
        event=event,
        warm=warm,
        remaining=events.remaining_stock(event, warm),
        status=events.status_of(event, warm=warm),
    )


async def _load(event_id: int) -> SeckillEvent:
    event = await events.get_event(event_id)
    if event is None:  # sales are never deleted; the caller checked that this one exists
        raise LookupError(f"flash sale {event_id} is gone")
    return event


async def event_updates(
    runtime: Runtime, event_id: int, *, rate: float
) -> AsyncIterator[EventSnapshot]:
    """The current state first, then each change, at most `rate` a second; ends once ENDED."""
    if runtime.broker is None:
        raise RuntimeError("subscriptions need the API's pub/sub broker")
    interval = 1.0 / rate
    channel = event_channel(runtime.keys, event_id)
    async with runtime.broker.listen(channel) as listener:
        event = await _load(event_id)
        last = await snapshot(runtime, event)
        yield last
        sent_at = time.monotonic()
        while last.status is not events.SeckillStatus.ENDED:
            reload = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(listener.get(), timeout=interval)
                reload = True
            wait = sent_at + interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if reload:
                listener.drain()
                event = await _load(event_id)
            current = await snapshot(runtime, event)
            if current.key != last.key:
                last = current
                yield current
                sent_at = time.monotonic()
