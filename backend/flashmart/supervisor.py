"""Keep child processes running: one that dies is started again, never a reason to stop.

`flashmart run` supervises the embedded Redis, the worker and the API (`flashmart serve`);
`flashmart serve --workers N` its API processes (serving.py). A child that exits is logged
with its exit code and started again after a back-off that doubles, up to a cap, while it
keeps dying young; one that ran for `STABLE_SECONDS` starts from the shortest delay again.
SIGINT / SIGTERM stop the supervisor: it passes SIGTERM on, waits up to the grace period for
the children to finish what they are doing, then kills what is left. Children marked
`stop_last` (the Redis the others use) are stopped only once the others have exited.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing.process
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Protocol

from flashmart.core.outages import Backoff

logger = logging.getLogger("flashmart.supervisor")

RESTART_FIRST_SECONDS = 0.5
RESTART_MAX_SECONDS = 10.0
STABLE_SECONDS = 30.0  # a child that ran this long starts again after the shortest delay
TICK_SECONDS = 0.2


class Child(Protocol):
    """A running child process, whatever started it."""

    @property
    def pid(self) -> int | None: ...

    def exit_code(self) -> int | None:
        """None while it runs."""

    def terminate(self) -> None: ...

    def kill(self) -> None: ...

    def wait(self, timeout: float) -> None: ...


class PopenChild:
    """A `subprocess.Popen` child."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def exit_code(self) -> int | None:
        return self.process.poll()

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()

    def wait(self, timeout: float) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)


class ProcessChild:
    """A `multiprocessing` child (spawned)."""

    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self.process = process

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def exit_code(self) -> int | None:
        return None if self.process.is_alive() else self.process.exitcode

    def terminate(self) -> None:
        if self.process.is_alive():
            self.process.terminate()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()

    def wait(self, timeout: float) -> None:
        self.process.join(timeout)


@dataclass
class Program:
    """What to keep running: `start()` starts one copy and returns it."""

    name: str
    start: Callable[[], Child]
    stop_last: bool = False
    running: Child | None = None  # already started by the caller
    # kept by the supervisor
    backoff: Backoff = field(
        default_factory=lambda: Backoff(RESTART_FIRST_SECONDS, RESTART_MAX_SECONDS)
    )
    started_at: float = 0.0
    restart_at: float = 0.0
    restarts: int = 0


class Supervisor:
    """Runs `programs` until SIGINT / SIGTERM (or `stop()`), restarting what dies."""

    def __init__(self, programs: list[Program], *, grace_seconds: float) -> None:
        self.programs = programs
        self.grace_seconds = grace_seconds
        self.stopping = False

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        self.stopping = True

    def run(self, *, handle_signals: bool = True) -> None:
        if handle_signals:
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, self.stop)
        try:
            now = time.monotonic()
            for program in self.programs:
                if program.running is None:
                    self._start(program)
                else:
                    program.started_at = now
            while not self.stopping:
                self._tick()
                time.sleep(TICK_SECONDS)
        finally:
            self._shutdown()

    def _tick(self) -> None:
        now = time.monotonic()
        for program in self.programs:
            if self.stopping:
                return
            child = program.running
            if child is not None:
                code = child.exit_code()
                if code is None:
                    continue
                lived = now - program.started_at
                if lived >= STABLE_SECONDS:
                    program.backoff.reset()
                delay = program.backoff.next()
                program.running, program.restart_at = None, now + delay
                logger.error(
                    "%s (pid %s) exited with %s after %.1f s; starting it again in %.1f s",
                    program.name, child.pid, code, lived, delay,
                )  # fmt: skip
            if now >= program.restart_at:
                program.restarts += 1
                self._start(program)

    def _start(self, program: Program) -> None:
        try:
            program.running = program.start()
        except Exception:
            delay = program.backoff.next()
            program.restart_at = time.monotonic() + delay
            logger.exception("%s did not start; trying again in %.1f s", program.name, delay)
            return
        program.started_at = time.monotonic()
        logger.info("%s started (pid %s)", program.name, program.running.pid)

    def _shutdown(self) -> None:
        self._stop([p for p in self.programs if not p.stop_last])
        self._stop([p for p in self.programs if p.stop_last])

    def _stop(self, programs: list[Program]) -> None:
        children = [p.running for p in programs if p.running is not None]
        for child in children:
            child.terminate()  # SIGTERM: finish in-flight requests and jobs
        deadline = time.monotonic() + self.grace_seconds
        for child in children:
            child.wait(max(0.0, deadline - time.monotonic()))
            if child.exit_code() is None:
                child.kill()
                child.wait(5)


# prctl(2): deliver this signal when the parent exits.
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, signum: int = signal.SIGTERM) -> None:
    """In a child of process `parent`: ask Linux to send `signum` to this process when its
    parent dies (a no-op elsewhere). A supervisor killed with SIGKILL must not leave its
    children serving on their own, next to the ones its replacement starts."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was in place
        os.kill(os.getpid(), signum)
