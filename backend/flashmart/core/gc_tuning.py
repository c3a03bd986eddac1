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

Every collection's pause is measured (`flashmart_gc_pause_seconds` by generation at
/metrics): a full collection stops every request in flight, so it shows in the latency tail.
"""

from __future__ import annotations

import asyncio
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


class HeapKeeper:
    """Collects and freezes between bursts (see the module docstring). `idle()` gives the
    seconds since the process last started an HTTP request."""

    def __init__(self, *, interval: float, full_every: float, idle: Callable[[], float]) -> None:
        self.interval = interval
        self.full_every = full_every
        self.idle = idle
        self.last_full = time.monotonic()
        self.passes = 0  # young collections followed by a freeze (tests read it)
        self.full_passes = 0

    def tidy(self) -> bool:
        """One look: in a quiet moment, a young pass (or a full one when due); True if it ran."""
        if self.idle() < QUIET_SECONDS:
            return False
        if time.monotonic() - self.last_full >= self.full_every:
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
            await asyncio.sleep(self.interval)
            self.tidy()
