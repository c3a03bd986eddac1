"""The subscription sockets' periodic work, for every socket of the process at once.

Each acknowledged graphql-transport-ws socket is pinged every
`SUBSCRIPTION_PING_INTERVAL_SECONDS` (closed with 1008 when the previous ping got no pong) and,
when it holds a connection slot (ws_limits.py), renews the slot every
`SUBSCRIPTION_HEARTBEAT_SECONDS` (closed with 4403 when its entry went stale and others took
the slots). A loop per socket doing this kept two sleeping timers per socket, renewed at every
round: with thousands of shoppers on a sale page, hundreds of timers, futures and contexts a
second that live for seconds, which every young garbage collection then walked (in the live
crowd of `make bench`, young collections of 50-100 ms with the event loop stopped during the
storm), and one Redis call per socket and heartbeat.

Here one task per process (`ConnectionClock`, started with the first socket, gone with the
last) keeps every socket's next ping and heartbeat in one heap and, at most every `gap`
seconds, does what is due: pings written onto the sockets directly where possible
(wsdirect.py; else through the socket's ASGI send, in a task), and the due heartbeats in
pipelines of `BEAT_BATCH` script calls, one round trip each. Each socket keeps the phase of
the moment it was acknowledged, so a crowd that connected over a few seconds is pinged and
renewed over as many seconds, not all at once. A heartbeat that fails (Redis away) keeps the
socket, as before: its entry goes stale by itself if Redis stays away.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from redis.exceptions import RedisError

from flashmart.graphql.ws_limits import ConnectionSlots

if TYPE_CHECKING:
    from flashmart.graphql.wsdirect import Direct

logger = logging.getLogger("flashmart.subscriptions")

PING, BEAT = 0, 1
FORBIDDEN = 4403  # what Strawberry sends for a ConnectionRejectionError
NO_PONG = 1008  # policy violation: the peer ignored our ping
# A round at most every ROUND_SECONDS (a quarter of the shortest interval if that is shorter):
# what falls due in between waits for the next round.
ROUND_SECONDS = 0.25
BEAT_BATCH = 500  # slot renewals per pipeline


class Socket(Protocol):
    """What the clock needs of a subscription socket (websocket.TransportWSHandler)."""

    pong_due: bool

    def close_soon(self, code: int, reason: str) -> None: ...

    def ping_soon(self) -> None: ...


class Entry:
    """One socket on the clock: what it is, its slot, its direct writer; `closed` once gone."""

    __slots__ = ("closed", "direct", "key", "maximum", "member", "socket")

    def __init__(
        self, socket: Socket, direct: Direct | None, slot: tuple[str, str, int] | None
    ) -> None:
        self.socket = socket
        self.direct = direct
        self.key, self.member, self.maximum = slot or ("", "", 0)
        self.closed = False


class ConnectionClock:
    """Pings and slot heartbeats of every subscription socket of one app (see above)."""

    def __init__(
        self, slots: ConnectionSlots, *, ping_every: float, beat_every: float, ping_text: str
    ) -> None:
        self.slots = slots
        self.ping_every = ping_every
        self.beat_every = beat_every
        self.ping_text = ping_text
        self.gap = min(ROUND_SECONDS, ping_every / 4, beat_every / 4)
        self.heap: list[tuple[float, int, int, Entry]] = []
        self.order = itertools.count()
        self.live = 0
        self.task: asyncio.Task[None] | None = None
        self.spawned: set[asyncio.Task[Any]] = set()
        self.rounds = 0  # rounds that did something (tests read these counts)
        self.direct_pings = 0
        self.beat_pipelines = 0

    def add(
        self, socket: Socket, direct: Direct | None, slot: tuple[str, str, int] | None
    ) -> Entry:
        """Put an acknowledged socket on the clock; `slot` (key, connection id, maximum) when
        it holds one. `remove` takes it off."""
        entry = Entry(socket, direct, slot)
        now = time.monotonic()
        self._schedule(now + self.ping_every, PING, entry)
        if slot is not None:
            self._schedule(now + self.beat_every, BEAT, entry)
        self.live += 1
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run(), name="ws-clock")
        return entry

    def remove(self, entry: Entry) -> None:
        if not entry.closed:
            entry.closed = True
            self.live -= 1

    def _schedule(self, at: float, job: int, entry: Entry) -> None:
        heapq.heappush(self.heap, (at, next(self.order), job, entry))

    async def _run(self) -> None:
        heap = self.heap
        while self.live > 0:
            wait = heap[0][0] - time.monotonic() if heap else self.gap
            await asyncio.sleep(max(self.gap, wait))
            now = time.monotonic()
            pings: list[Entry] = []
            beats: list[Entry] = []
            while heap and heap[0][0] <= now:
                _, _, job, entry = heapq.heappop(heap)
                if not entry.closed:
                    (pings if job == PING else beats).append(entry)
            if pings or beats:
                self.rounds += 1
            for entry in pings:
                self._ping(entry, now)
            if beats:
                await self._beat(beats)
        self.heap.clear()  # only closed sockets' jobs are left

    def _ping(self, entry: Entry, now: float) -> None:
        socket = entry.socket
        if socket.pong_due:
            self.remove(entry)
            socket.close_soon(NO_PONG, "No pong to the last ping")
            return
        socket.pong_due = True
        direct = entry.direct
        if direct is not None and direct.write(self.ping_text):
            self.direct_pings += 1
        else:
            socket.ping_soon()
        self._schedule(now + self.ping_every, PING, entry)

    async def _beat(self, entries: list[Entry]) -> None:
        for start in range(0, len(entries), BEAT_BATCH):
            batch = entries[start : start + BEAT_BATCH]
            self.beat_pipelines += 1
            try:
                held = await self.slots.renew_many([(e.key, e.member, e.maximum) for e in batch])
            except RedisError:
                held = [True] * len(batch)  # Redis is back soon or the entries go stale
                logger.warning("subscription slots not renewed: Redis unavailable")
            again = time.monotonic() + self.beat_every
            for entry, ok in zip(batch, held, strict=True):
                if entry.closed:
                    continue
                if not ok:  # its entry went stale (a long stall) and others took the slots
                    self.remove(entry)
                    entry.socket.close_soon(FORBIDDEN, "Too many connections")
                    continue
                self._schedule(again, BEAT, entry)

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` (a close, a ping through the ASGI send) in a task kept until done."""
        task = asyncio.create_task(work)
        self.spawned.add(task)
        task.add_done_callback(self.spawned.discard)
