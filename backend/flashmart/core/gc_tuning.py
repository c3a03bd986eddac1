"""Garbage-collector settings for long-running processes (API, worker).

With Python's defaults (700, 10, 10) an API process under a flash sale runs full
collections regularly, and each one walks every object the process built at start-up
(the GraphQL schema, the ORM models, every module) with the event loop stopped, while every
request in flight waits (docs/hotpath.md has the measurements).
After start-up those objects live as long as the process, so they are moved out of the
collector's sight (`gc.freeze()`), and young objects are collected every
`GC_YOUNG_THRESHOLD` allocations instead of 700 — short requests free nearly all they
allocate by reference counting, so the collector has little to find.

Every collection's pause is measured (`flashmart_gc_pause_seconds` by generation at
/metrics): a full collection stops every request in flight, so it shows in the latency tail.
"""

from __future__ import annotations

import gc
import logging
import time
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
