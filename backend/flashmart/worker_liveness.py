"""The worker's liveness file: proof, readable without Redis, that this process's loop turns.

With WORKER_LIVENESS_FILE set, the worker's poll loop (`FlashWorker._poll_iteration`) sets the
file's modification time at most once every WORKER_HEALTH_CHECK_INTERVAL seconds, also while it
waits out a Redis outage (it keeps polling then). `flashmart worker --alive` exits 0 while the
file is younger than `limit_seconds`: STALE_AFTER_INTERVALS intervals, or as many of the
longest waits between polls during an outage (worker.py RECONNECT_MAX_SECONDS) when those
are longer: the liveness probe of one worker pod
(docs/kubernetes.md). `flashmart worker --check` answers another question: whether *a* worker
wrote its health report to Redis lately (the report is shared by every worker), so it passes
for a stuck pod while another pod works, and fails for every pod while Redis is away.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

STALE_AFTER_INTERVALS = 3


class LivenessFile:
    """Touches `path` at most once every `interval` seconds (`beat`, from the poll loop)."""

    def __init__(self, path: Path, interval: float) -> None:
        self.path = path
        self.interval = interval
        self._last = -math.inf

    def beat(self) -> None:
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch()  # creates it, or sets its modification time to now


def age_seconds(path: Path) -> float | None:
    """Seconds since the file was last touched; None when there is no file."""
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None


def limit_seconds(interval: float, longest_poll_gap: float) -> float:
    """How old the file may grow: the loop touches it every `interval` seconds, and during a
    Redis outage polls only every `longest_poll_gap` seconds at worst."""
    return STALE_AFTER_INTERVALS * max(interval, longest_poll_gap)


def is_alive(path: Path, interval: float, longest_poll_gap: float) -> tuple[bool, str]:
    """(alive, a line saying why) for `flashmart worker --alive`."""
    age = age_seconds(path)
    limit = limit_seconds(interval, longest_poll_gap)
    if age is None:
        return False, f"no liveness file at {path} (is the worker's loop running?)"
    if age > limit:
        return False, f"the worker's loop last touched {path} {age:.1f} s ago (limit {limit:g} s)"
    return True, f"the worker's loop touched {path} {age:.1f} s ago"
