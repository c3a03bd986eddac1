"""CPU priority of background processes (the arq worker) next to the API on one machine.

A flash sale's orders are written in bursts: the worker's persist jobs and the PostgreSQL
work they cause take a large share of a small machine's CPU in the first moments of a sale,
exactly while the API processes answer the most buys, and the buys' tail latency rises with
it (docs/hotpath.md, "Worker priority", has the measurements). Writing an order a moment
later is invisible to the shopper (the ticket says QUEUED until it is written); a buy
answered late is not. So the worker runs at a lower priority: the kernel gives it the CPU
the API leaves, and a share of a busy CPU (nice 10 weighs about a tenth of nice 0) so it
never stops.

It also runs under `SCHED_BATCH`: the same share, but a waking worker (a database reply
came) does not preempt a running API process. At nice 10 alone the worker still took
bursts of CPU at the start of a sale, and the buys' tail latency with them; with batch
scheduling as well it stayed near its share throughout (make bench).

Nice values work in two levels on Linux:
- the process's nice value, which weighs it against the processes of its own scheduling
  group (`flashmart run` starts API and worker in one session: one group);
- with autogroups (`/proc/sys/kernel/sched_autogroup_enabled`), each session is a group of
  its own that competes with the others as a whole, whatever its members' nice values; a
  worker that leads its own session (a supervisor started it with `setsid`, as `make bench`
  does) sets that group's nice instead. A worker in a session it does not lead leaves the
  group alone: that group holds the API too.
A process that never changed session since the kernel started (init's own, as in some
containers) is in the root group, which is no autogroup: its `/proc/<pid>/autogroup` is
empty and it has no group nice to read or set. Under systemd or containers the CPU
controller of the cgroup decides instead (`CPUWeight=`, compose's `cpu_shares`);
docker-compose.yml gives the worker a lower share.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

AUTOGROUP = Path("/proc/self/autogroup")
AUTOGROUPS_ENABLED = Path("/proc/sys/kernel/sched_autogroup_enabled")


@dataclass(frozen=True)
class PriorityChange:
    nice: int  # the process's nice value afterwards
    autogroup_nice: int | None  # its session group's, when this process set it


def lower_priority(nice: int) -> PriorityChange:
    """Run this process at `nice` (never raises its priority: a higher value stays) under
    batch scheduling; call it before starting threads, which inherit both. 0 changes nothing."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if nice <= 0:
        return PriorityChange(nice=current, autogroup_nice=None)
    target = max(nice, current)
    if target > current:
        os.setpriority(os.PRIO_PROCESS, 0, target)
    if hasattr(os, "SCHED_BATCH") and os.sched_getscheduler(0) == os.SCHED_OTHER:
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    group_nice = None
    if os.getsid(0) == os.getpid() and _autogroups_enabled() and read_autogroup_nice() is not None:
        with contextlib.suppress(OSError):  # not allowed here: the nice value alone stays
            AUTOGROUP.write_text(str(target))
            group_nice = target
    change = PriorityChange(nice=os.getpriority(os.PRIO_PROCESS, 0), autogroup_nice=group_nice)
    logger.info("cpu priority: nice %d, session group nice %s", change.nice, group_nice)
    return change


def read_autogroup_nice(pid: int | None = None) -> int | None:
    """The nice value of a process's autogroup ("/autogroup-42 nice 10"); None without
    autogroups or in the root group, whose file is empty."""
    path = AUTOGROUP if pid is None else Path(f"/proc/{pid}/autogroup")
    try:
        _, found, value = path.read_text().partition(" nice ")
    except OSError:
        return None
    return int(value) if found else None


def _autogroups_enabled() -> bool:
    try:
        return AUTOGROUPS_ENABLED.read_text().strip() == "1"
    except OSError:
        return False
