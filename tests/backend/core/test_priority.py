"""The worker's CPU priority: a real child process lowers itself (nice, batch scheduling) and,
when it leads its own session, its autogroup; `flashmart worker` applies WORKER_NICE."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flashmart.core import priority
from flashmart.core.priority import read_autogroup_nice
from flashmart.core.runtime import Runtime
from tests.backend.processes import worker_env

AUTOGROUPS = Path("/proc/sys/kernel/sched_autogroup_enabled")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux scheduling")

CHILD = """
import json, os, sys
from flashmart.core.priority import lower_priority, read_autogroup_nice
if len(sys.argv) > 2:
    os.setpriority(os.PRIO_PROCESS, 0, int(sys.argv[2]))
change = lower_priority(int(sys.argv[1]))
print(json.dumps({
    "reported": [change.nice, change.autogroup_nice],
    "nice": os.getpriority(os.PRIO_PROCESS, 0),
    "batch": os.sched_getscheduler(0) == os.SCHED_BATCH,
    "group": read_autogroup_nice(),
}))
"""


def _child(*args: int, own_session: bool) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        start_new_session=own_session,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def _autogroups_on() -> bool:
    return AUTOGROUPS.exists() and AUTOGROUPS.read_text().strip() == "1"


def test_a_session_leader_lowers_itself_and_its_own_group() -> None:
    seen = _child(7, own_session=True)
    assert seen["nice"] == 7
    assert seen["batch"] is True
    if _autogroups_on():
        assert seen["group"] == 7
        assert seen["reported"] == [7, 7]
    else:
        assert seen["reported"] == [7, None]


def test_a_process_sharing_its_session_leaves_the_group_alone() -> None:
    ours = read_autogroup_nice(os.getpid())
    seen = _child(7, own_session=False)
    assert seen["nice"] == 7 and seen["batch"] is True
    assert seen["reported"] == [7, None]
    assert seen["group"] == ours  # the group holds its siblings (the API under `flashmart run`)
    assert read_autogroup_nice(os.getpid()) == ours


def test_zero_changes_nothing_and_a_lower_priority_stays() -> None:
    untouched = _child(0, own_session=True)
    assert untouched["nice"] == os.getpriority(os.PRIO_PROCESS, 0)
    assert untouched["batch"] is False and untouched["reported"][1] is None  # type: ignore[index]
    already_lower = _child(5, 12, own_session=True)  # started at nice 12, asked for 5
    assert already_lower["nice"] == 12


async def test_flashmart_worker_runs_at_worker_nice(runtime: Runtime) -> None:
    env = worker_env(runtime.settings, WORKER_NICE="6")
    flashmart = Path(sys.executable).parent / "flashmart"
    worker = subprocess.Popen(
        [str(flashmart), "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # as `make bench` starts it
    )
    try:
        deadline = time.monotonic() + 30
        while (
            os.getpriority(os.PRIO_PROCESS, worker.pid) != 6
            or os.sched_getscheduler(worker.pid) != os.SCHED_BATCH
        ):
            assert worker.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker never lowered its priority"
            await asyncio.sleep(0.05)
        if _autogroups_on():
            assert read_autogroup_nice(worker.pid) == 6
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_the_root_group_has_no_autogroup_nice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process in the kernel's root group (never in a session of its own, as in some
    containers) reads an empty autogroup file: no group nice, nothing to set."""
    autogroup = tmp_path / "autogroup"
    monkeypatch.setattr(priority, "AUTOGROUP", autogroup)
    autogroup.write_text("")
    assert priority.read_autogroup_nice() is None
    autogroup.write_text("/autogroup-42 nice 10\n")
    assert priority.read_autogroup_nice() == 10
    autogroup.unlink()
    assert priority.read_autogroup_nice() is None
