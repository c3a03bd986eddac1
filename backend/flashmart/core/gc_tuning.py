"""Garbage-collector settings for long-running processes (API, worker).

With Python's defaults (700, 10, 10) an API process under a flash sale runs full
collections regularly, and each one walks every object the process built at start-up
(the GraphQL schema, the ORM models, every module) with the event loop stopped, while every
request in flight waits (docs/hotpath.md has the measurements).
After start-up those objects live as long as the process, so they are moved out of the
collector's sight (`gc.freeze()`), and young objects are collected every
`GC_YOUNG_THRESHOLD` allocations instead of 700 — short requests free nearly all they
allocate by reference counting, so the collector has little to find.

Objects that outlive a burst of requests (the WebSockets of thousands of shoppers waiting on
a sale page, the verified tokens of every shopper who bought) would otherwise sit in the young
generations, and every young collection in the next burst would walk them again: in the live
crowd of `make bench`, gen-0 and gen-1 collections took 5-95 ms of CPU each, with the event
loop stopped. `HeapKeeper` moves them out of sight between bursts: when no HTTP request has
started for QUIET_SECONDS, it collects the young generations and freezes what survived, so a
burst's collections walk only what the burst itself allocated. Every
`GC_KEEPER_FULL_EVERY_SECONDS`, again only in a quiet moment, it unfreezes, runs a full
collection (the cycles that died among frozen objects are freed there) and freezes again.

In a burst itself (a sale's storm: from the first HTTP request after a quiet moment, while
one started less than QUIET_SECONDS ago), for its first `GC_STORM_FREEZE_SECONDS`, the keeper
looks every STORM_TICK seconds and freezes what the burst allocated (`gc.freeze()` moves
lists, it walks nothing): the young generation hardly ever reaches its threshold between two
looks, so collections stop stopping the event loop while the buys pour in. The
cycles that die meanwhile wait, frozen, for the burst's end: the first quiet moment after a
burst that froze more than STORM_FULL_AFTER objects runs a full pass (after a smaller one,
the next periodic full pass frees them). A burst that lasts longer (steady traffic) goes back
to ordinary young collections after `GC_STORM_FREEZE_SECONDS`, so what it can leave frozen is
bounded.

Every collection's pause is measured (`flashmart_gc_pause_seconds` by generation at
/metrics): a full collection stops every request in flight, so it shows in the latency tail.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Callable
from typing import Any

from flashmart.core.metrics import GC_PAUSE

logger = logging.getLogger(__name__)


class PauseClock:
    """A `gc.callbacks` entry timing each collection into GC_PAUSE."""

    def __init__(self) -> None:
        self.started = 0.0
        self.children = {g: GC_PAUSE.labels(generation=str(g)) for g in range(3)}

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.children[info["generation"]].observe(time.perf_counter() - self.started)


def time_pauses() -> None:
    """Measure every collection of this process from now on (once per process)."""
    if not any(isinstance(cb, PauseClock) for cb in gc.callbacks):
        gc.callbacks.append(PauseClock())


def settle_heap(young_threshold: int) -> None:
    """Call once start-up is done; `young_threshold` 0 keeps Python's defaults."""
    time_pauses()
    if young_threshold <= 0:
        return
    gc.collect()  # start-up garbage goes now, not into the frozen generation
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(young_threshold, middle, old)
    logger.debug("gc: %d objects frozen, thresholds %s", gc.get_freeze_count(), gc.get_threshold())


QUIET_SECONDS = 0.5  # no HTTP request started for this long: a moment to tidy the heap
STORM_TICK = 0.1  # seconds between the keeper's looks while it freezes a burst
STORM_FULL_AFTER = 100_000  # objects a burst froze beyond which its end runs a full pass


class HeapKeeper:
    """Collects and freezes between bursts (see the module docstring). `idle()` gives the
    seconds since the process last started an HTTP request."""

    def __init__(
        self,
        *,
        interval: float,
        full_every: float,
        idle: Callable[[], float],
        storm_seconds: float = 0.0,
    ) -> None:
        self.interval = interval
        self.full_every = full_every
        self.idle = idle
        self.storm_seconds = storm_seconds
        self.storm_started: float | None = None  # monotonic start of the burst being frozen
        self.storm_moved = 0  # objects its freezes moved out of the collector's sight
        self.last_full = time.monotonic()
        self.passes = 0  # young collections followed by a freeze (tests read these counts)
        self.full_passes = 0
        self.storm_freezes = 0
        self._woken = asyncio.Event()

    @property
    def storming(self) -> bool:
        """Freezing a burst's allocations (see the module docstring)."""
        started = self.storm_started
        return started is not None and time.monotonic() - started <= self.storm_seconds

    def begin_storm(self) -> None:
        """A burst begins (the app's first request after a quiet moment): freeze now, and
        look every STORM_TICK from now on, not at the next interval."""
        if self.storm_seconds > 0 and self.storm_started is None:
            self._start_storm()
            self._storm_freeze()
            self._woken.set()

    def _start_storm(self) -> None:
        self.storm_started = time.monotonic()
        self.storm_moved = 0

    def _storm_freeze(self) -> None:
        before = gc.get_freeze_count()
        gc.freeze()
        self.storm_moved += gc.get_freeze_count() - before
        self.storm_freezes += 1

    def tidy(self) -> bool:
        """One look: in a quiet moment, a young pass (a full one when due, or after a burst
        it froze); in a burst's first `storm_seconds`, a freeze. True if it did something."""
        if self.idle() < QUIET_SECONDS:
            if self.storm_seconds <= 0:
                return False
            if self.storm_started is None:
                self._start_storm()
            if not self.storming:
                return False  # a long burst: ordinary young collections from now on
            self._storm_freeze()
            return True
        stormed = self.storm_started is not None and self.storm_moved > STORM_FULL_AFTER
        self.storm_started = None
        if stormed or time.monotonic() - self.last_full >= self.full_every:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.last_full = time.monotonic()
            self.full_passes += 1
            return True
        gc.collect(1)
        gc.freeze()
        self.passes += 1
        return True

    async def run(self) -> None:
        while True:
            self._woken.clear()
            delay = min(self.interval, STORM_TICK) if self.storming else self.interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), delay)
            self.tidy()
