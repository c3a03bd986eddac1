"""A sale's live state for subscribers: one watcher per sale per process, fanned out.

Stock changes on every purchase, and purchases publish nothing: the buy path stays one Lua
call. Instead, in each API process, ONE watcher per sale that has local subscribers reads the
sale's live state (`SaleStore.read_states`, one round trip) `rate` times a second and hands
every change, as one shared `EventSnapshot`, to all of that process's subscribers of the sale.
Redis reads per second therefore depend on the number of watched sales and API processes, not
on the number of subscribers. A subscriber woken reads the newest snapshot (`LiveFeed.next`),
so a slow one skips stale states and never queues; the final states (sold out, ended) go
out as soon as the watcher reads them. Changes the stock does not show (an administrator edits
the sale, the worker closes it) arrive on the sale's pub/sub channel
(`announce.publish_event_updated`) and make the watcher reload the sale from the database
once, for everybody, at once rather than at its next tick (they are rare: an edit, the close,
a waiting room's draw). The watcher stops when its last subscriber leaves or the sale has ended.

A WAITING_ROOM sale's watcher also reads the room's counters in the same round trip (admitted
cursor, entries, the draw) and wakes the room's subscribers (`waitingRoomUpdated`) only when
what their entries' views depend on changes (`RoomCounters.wake_key`: nothing before the draw,
however many join; the draw, the cursor and the stock after it). Each subscriber computes its
own position from its own entry (`room.entry_view`), read when it subscribes; when the draw or
a move of the cursor makes entries stale, the watcher reads all of its subscribers' stale
entries in one round trip before waking them (`RoomStore.members`), and a subscriber reads its
own only when that failed or its grant ran out. Redis round trips per tick therefore stay one
per watched sale (two on the ticks that move the room), however many shoppers wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import time
import weakref
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from redis.exceptions import RedisError
from tortoise.exceptions import OperationalError

from flashmart.core.metrics import LIVE_MESSAGE, SALE_SUBSCRIBERS
from flashmart.core.outages import is_outage
from flashmart.core.pubsub import Broker
from flashmart.core.runtime import Runtime
from flashmart.seckill import events
from flashmart.seckill.announce import event_channel
from flashmart.seckill.models import AdmissionMode, SeckillEvent
from flashmart.seckill.room import (
    EntryView,
    Member,
    RoomCounters,
    RoomState,
    RoomStore,
    entry_view,
)
from flashmart.seckill.store import SaleStore, WarmState

logger = logging.getLogger("flashmart.seckill.live")
T = TypeVar("T")
# A state goes out to a sale's subscribers over at most FAN_OUT_TURNS turns of the event loop,
# at least FAN_OUT_SLICE subscribers woken per turn (`SaleWatcher._fan_out`).
FAN_OUT_TURNS = 4
FAN_OUT_SLICE = 64
# The admission rate a waiting room's subscribers are told is measured over this many seconds.
RATE_SECONDS = 30.0


@dataclass(frozen=True)
class EventSnapshot:
    event: SeckillEvent
    warm: WarmState | None
    remaining: int
    status: events.SeckillStatus
    room: RoomCounters | None = None  # a WAITING_ROOM sale's
    # Entrants admitted per second lately, as the watcher saw the cursor move (None: unknown).
    rate: float | None = field(default=None, compare=False)
    # Encoded GraphQL payloads of this snapshot by document (graphql/eventlane.py): built
    # once, sent to every subscriber with that document.
    encoded: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> tuple[int, events.SeckillStatus]:
        return self.remaining, self.status

    @property
    def room_key(self) -> tuple[object, ...]:
        """What the room's subscribers are woken for: the sale's state and what their views
        depend on in the room's counters (not every join: `RoomCounters.wake_key`)."""
        return self.remaining, self.status, self.room.wake_key if self.room else None


async def snapshot(runtime: Runtime, event: SeckillEvent) -> EventSnapshot:
    """The sale's live state from one round trip (with the room's counters for a room sale)."""
    room: RoomCounters | None = None
    if event.admission_mode is AdmissionMode.WAITING_ROOM:
        warm, room, _ = await RoomStore.of(runtime).read(event.id)
    else:
        warm = (await SaleStore.of(runtime).read_states([event.id])).get(event.id)
    return EventSnapshot(
        event=event,
        warm=warm,
        remaining=events.remaining_stock(event, warm),
        status=events.status_of(event, warm=warm),
        room=room,
    )


class RateMeter:
    """Entrants admitted per second over the last RATE_SECONDS, from (time, cursor) samples."""

    __slots__ = ("samples",)

    def __init__(self) -> None:
        self.samples: deque[tuple[float, int]] = deque()

    def add(self, at: float, cursor: int) -> float | None:
        samples = self.samples
        samples.append((at, cursor))
        while len(samples) > 2 and at - samples[1][0] >= RATE_SECONDS:
            samples.popleft()
        first_at, first_cursor = samples[0]
        if at - first_at <= 0 or cursor <= first_cursor:
            return None
        return (cursor - first_cursor) / (at - first_at)


async def _load(event_id: int) -> SeckillEvent:
    event = await events.get_event(event_id)
    if event is None:  # sales are never deleted; the caller checked that this one exists
        raise LookupError(f"flash sale {event_id} is gone")
    return event


class _Seat:
    """One subscriber's place at a watcher: the future its task waits on, if it waits, and
    while it waits, maybe a `push` that delivers a new state without waking it (the live-sale
    lane's direct socket write, graphql/wsdirect.py): True when delivered, False when the task
    must be woken to send it (its socket is backed up or closing, or the state is final)."""

    __slots__ = ("push", "waiter")

    def __init__(self) -> None:
        self.waiter: asyncio.Future[None] | None = None
        self.push: Callable[[EventSnapshot], bool] | None = None

    def wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


class _RoomSeat(_Seat):
    """A waiting-room subscriber's seat: whose entry it follows, and the entry as last read
    (by the watcher for all of them at once, or by the subscriber itself)."""

    __slots__ = ("member", "user_id")

    def __init__(self, user_id: int, member: Member) -> None:
        super().__init__()
        self.user_id = user_id
        self.member = member


class SaleWatcher:
    """Reads one sale's live state for every local subscriber (see the module docstring)."""

    RETRY_SECONDS = 1.0  # after a failed read (Redis or the database away)

    def __init__(self, runtime: Runtime, broker: Broker, event_id: int, *, rate: float) -> None:
        self.runtime = runtime
        self.broker = broker
        self.event_id = event_id
        self.interval = 1.0 / rate
        self.seats: set[_Seat] = set()
        self.room_seats: set[_RoomSeat] = set()  # waitingRoomUpdated subscribers
        self.meter = RateMeter()
        self.last: EventSnapshot | None = None
        # The sale as last loaded (kept even when a reload changes nothing the subscribers
        # are woken for, e.g. its name): what `known_event` answers with.
        self.event: SeckillEvent | None = None
        self.stopped = False
        self._first = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"sale-watcher-{self.event_id}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def first(self) -> EventSnapshot:
        """The current state: the last one read, or the first read's."""
        await self._first.wait()
        if self.last is None:
            raise RuntimeError(f"the live state of flash sale {self.event_id} is unavailable")
        return self.last

    async def _publish(self, snap: EventSnapshot) -> bool:
        """Fan `snap` out to whoever it is news for; False when it is news for nobody."""
        if snap.room is not None:
            snap = dataclasses.replace(
                snap, rate=self.meter.add(time.monotonic(), snap.room.admitted)
            )
        last = self.last
        if last is not None and snap.key == last.key:
            if snap.room_key == last.room_key:
                return False
            await self._refresh_members(snap.room, sold=False)
            self.last = snap  # only the room changed: the sale's subscribers sleep on
            await self._wake(list(self.room_seats), snap)
            return True
        sold = last is not None and snap.remaining < last.remaining
        await self._refresh_members(snap.room, sold=sold)
        await self._fan_out(snap)
        return True

    async def _refresh_members(self, counters: RoomCounters | None, *, sold: bool) -> None:
        """Read, in one round trip, the entries of the room's subscribers that `counters` make
        stale (the draw placed them, or their turn came) and, when units were `sold`, those
        holding an unused grant (it may be what was used), before they are woken. On a failed
        read each of them reads its own (`room_updates`)."""
        if counters is None or not counters.drawn:
            return
        stale = [
            seat
            for seat in self.room_seats
            if not seat.member.settled(counters) or (sold and seat.member.holds_grant)
        ]
        if not stale:
            return
        try:
            found = await RoomStore.of(self.runtime).members(
                self.event_id, [seat.user_id for seat in stale]
            )
        except Exception as exc:
            if not (is_outage(exc) or isinstance(exc, (RedisError, OSError))):
                raise
            logger.warning("waiting room of sale %d: entries unreadable", self.event_id)
            return
        for seat in stale:
            member = found.get(seat.user_id)
            if member is not None:
                seat.member = member

    async def _fan_out(self, snap: EventSnapshot) -> None:
        """Hand `snap` to every seat in up to FAN_OUT_TURNS slices, with a turn of the event
        loop between them. Each seat woken resumes a subscriber's task, and thousands at once
        run back to back before the loop reads another socket, holding every buy that arrived
        meanwhile (at a sale's start, the ACTIVE state and the storm come together); many small
        slices would instead make the state wait for as many turns, each as long as the load
        makes it (a busy turn takes tens of milliseconds), and SOLD_OUT would come late."""
        self.last = snap
        self._first.set()
        await self._wake([*self.seats, *self.room_seats], snap)

    @staticmethod
    async def _wake(seats: list[_Seat], snap: EventSnapshot) -> None:
        """Deliver `snap` to each seat: pushed where its subscriber takes pushes, else woken."""
        size = max(FAN_OUT_SLICE, -(-len(seats) // FAN_OUT_TURNS))
        pushed = 0
        for start in range(0, len(seats), size):
            if start:
                await asyncio.sleep(0)
            for seat in seats[start : start + size]:
                push = seat.push
                if push is not None and push(snap):
                    pushed += 1
                else:
                    seat.wake()
        if pushed:
            LIVE_MESSAGE.inc(pushed)  # once per fan-out, not per subscriber

    async def _run(self) -> None:
        try:
            async with self.broker.listen(event_channel(self.runtime.keys, self.event_id)) as heard:
                event = self.event = await self._retrying(lambda: _load(self.event_id))
                current = await self._retrying(functools.partial(snapshot, self.runtime, event))
                await self._publish(current)
                sent_at = time.monotonic()
                while current.status is not events.SeckillStatus.ENDED:
                    reload = False
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(heard.get(), timeout=self.interval)
                        reload = True
                    wait = sent_at + self.interval - time.monotonic()
                    if wait > 0 and not reload:  # news of the sale itself goes out at once
                        await asyncio.sleep(wait)
                    if reload:  # an edit, the close or the draw: the sale itself changed
                        heard.drain()
                        event = self.event = await self._retrying(lambda: _load(self.event_id))
                    current = await self._retrying(functools.partial(snapshot, self.runtime, event))
                    if await self._publish(current):
                        sent_at = time.monotonic()
        finally:
            self.stopped = True
            self._first.set()  # nobody waits for a first read that will not come
            for seat in [*self.seats, *self.room_seats]:
                seat.wake()

    async def _retrying(self, read: Callable[[], Awaitable[T]]) -> T:
        """`read()`, again every RETRY_SECONDS while Redis or the database is away (asyncpg's
        lost connections included: they reach us untranslated, core/outages.py)."""
        while True:
            try:
                value = await read()
            except Exception as exc:
                if not (is_outage(exc) or isinstance(exc, (RedisError, OSError, OperationalError))):
                    raise
                logger.warning("live state of sale %d unreadable; retrying", self.event_id)
                await asyncio.sleep(self.RETRY_SECONDS)
                continue
            return value


class LiveSales:
    """The process's sale watchers, one per sale that has subscribers."""

    def __init__(self, runtime: Runtime, broker: Broker) -> None:
        self.runtime = runtime
        self.broker = broker
        self.watchers: dict[int, SaleWatcher] = {}

    @contextlib.asynccontextmanager
    async def watch(
        self, event_id: int, *, rate: float, room: _RoomSeat | None = None
    ) -> AsyncIterator[LiveFeed]:
        """A seat at the sale's watcher (`room`: a waiting-room subscriber's, woken also when
        only the room's counters change)."""
        watcher = self.watchers.get(event_id)
        if watcher is None or watcher.stopped:
            watcher = SaleWatcher(self.runtime, self.broker, event_id, rate=rate)
            self.watchers[event_id] = watcher
            watcher.start()
        seat = room or _Seat()
        if room is not None:
            watcher.room_seats.add(room)
        else:
            watcher.seats.add(seat)
        SALE_SUBSCRIBERS.inc()
        try:
            yield LiveFeed(watcher, seat)
        finally:
            SALE_SUBSCRIBERS.dec()
            if room is not None:
                watcher.room_seats.discard(room)
            else:
                watcher.seats.discard(seat)
            idle = not watcher.seats and not watcher.room_seats
            if idle and self.watchers.get(event_id) is watcher:
                del self.watchers[event_id]
                await watcher.stop()


class LiveFeed:
    """One subscriber's reading of its watcher: `await feed.next()` gives the current state
    first, then each change (the newest one, skipping states it was too slow for), then None
    once the sale has ended or the watcher stopped.

    A plain coroutine over one future per wait, not a chain of async generators: between two
    states every waiting subscriber holds only what it waits on, so thousands of them leave
    little for the garbage collector to walk after each fan-out (core/gc_tuning.py)."""

    __slots__ = ("seat", "seen", "watcher")

    def __init__(self, watcher: SaleWatcher, seat: _Seat) -> None:
        self.watcher = watcher
        self.seat = seat
        self.seen: EventSnapshot | None = None

    def poll(self) -> EventSnapshot | None:
        """The newest state this subscriber has not had yet, or None (nothing new yet, or
        `over`); the first call gives the current state once the watcher has read it."""
        last = self.watcher.last
        if last is None or (self.seen is not None and last.key == self.seen.key):
            return None
        if self.seen is not None and self.seen.status is events.SeckillStatus.ENDED:
            return None
        self.seen = last
        return last

    @property
    def over(self) -> bool:
        """Nothing more will come: the sale ended, or the watcher stopped."""
        seen = self.seen
        return self.watcher.stopped or (
            seen is not None and seen.status is events.SeckillStatus.ENDED
        )

    def waiter(self) -> asyncio.Future[None]:
        """A future the watcher completes at its next fan-out (or when it stops). The lane
        awaits it directly: per subscriber and wait, one future and nothing else."""
        waiter = self.seat.waiter = asyncio.get_running_loop().create_future()
        return waiter

    async def next(self) -> EventSnapshot | None:
        """`poll`, waiting for the watcher's first read and then for each change; None once
        `over`."""
        if self.seen is None:
            self.seen = await self.watcher.first()
            return self.seen
        while True:
            snap = self.poll()
            if snap is not None:
                return snap
            if self.over:
                return None
            await self.waiter()


_registries: weakref.WeakKeyDictionary[Broker, LiveSales] = weakref.WeakKeyDictionary()


def live_sales(runtime: Runtime) -> LiveSales:
    """This process's watchers (one registry per pub/sub broker, i.e. per API process)."""
    broker = runtime.broker
    if broker is None:
        raise RuntimeError("subscriptions need the API's pub/sub broker")
    found = _registries.get(broker)
    if found is None:
        found = _registries[broker] = LiveSales(runtime, broker)
    return found


def known_event(runtime: Runtime, event_id: int) -> SeckillEvent | None:
    """The sale as this process's watcher of it last loaded it (kept current by the sale's
    pub/sub channel), or None when nobody here watches it: a subscription to a watched sale,
    and a shopper's query of it (the sale page's), then make no database query for it."""
    broker = runtime.broker
    registry = _registries.get(broker) if broker is not None else None
    watcher = registry.watchers.get(event_id) if registry is not None else None
    if watcher is None or watcher.stopped or watcher.last is None:
        return None
    return watcher.event


async def event_updates(
    runtime: Runtime, event_id: int, *, rate: float
) -> AsyncIterator[EventSnapshot]:
    """The current state first, then each change, at most `rate` reads a second shared by
    every subscriber of the sale in this process; ends once ENDED."""
    async with live_sales(runtime).watch(event_id, rate=rate) as feed:
        while (snap := await feed.next()) is not None:
            yield snap


async def room_updates(
    runtime: Runtime, event_id: int, user_id: int, *, rate: float
) -> AsyncGenerator[EntryView, None]:
    """A shopper's waiting-room entry now, then whenever it changes; ends once the sale has
    ended or the entry is final (MISSED, or ADMITTED with the grant used). SOLD_OUT is not
    final: units an unpaid order gives back are admitted again. Empty when the shopper has
    not joined. Redis: the sale's shared watcher (which reads the entries the draw and the
    cursor make stale, for all its subscribers at once), plus this shopper's own entry read at
    the start and when the grant runs out."""
    rooms = RoomStore.of(runtime)
    _, _, member = await rooms.read(event_id, user_id)
    if member is None:
        return
    seat = _RoomSeat(user_id, member)
    async with live_sales(runtime).watch(event_id, rate=rate, room=seat) as feed:
        snap = await feed.watcher.first()
        sent: tuple[object, ...] | None = None
        while snap.room is not None:
            now_ms = time.time() * 1000  # no Redis read per subscriber and tick
            counters = snap.room
            member = seat.member
            if not member.settled(counters) or (
                member.grant_expires_ms is not None
                and member.grant_expires_ms <= now_ms
                and member.ticket_id is None
                and not member.missed
            ):  # the watcher's read failed, or the grant ran out (used or missed?): read it
                _, _, fresh = await rooms.read(event_id, user_id)
                member = seat.member = fresh or member
            view = entry_view(
                event_id, member, counters, remaining=snap.remaining, rate=snap.rate,
                now_ms=int(now_ms),
            )  # fmt: skip
            if view.key != sent:
                sent = view.key
                yield view
            final = view.state is RoomState.MISSED or (
                view.state is RoomState.ADMITTED and view.grant_expires_at is None
            )
            if final or feed.watcher.stopped or snap.status is events.SeckillStatus.ENDED:
                return
            timeout = None
            if view.grant_expires_at is not None and member.grant_expires_ms is not None:
                timeout = max(0.0, (member.grant_expires_ms - now_ms) / 1000) + 0.05
            waiter = feed.waiter()
            if feed.watcher.last is not snap:
                pass  # a newer state came meanwhile: no wait
            elif timeout is None:  # the plain wait: one future per subscriber, nothing more
                await waiter
            else:  # until the grant runs out
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(waiter), timeout=timeout)
            snap = feed.watcher.last or snap
