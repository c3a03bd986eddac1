"""Supervised children: one that dies is started again and the others keep running; a stop
stops them all, the Redis they use last. Real processes: the supervisor on small Python
children, then `flashmart run` itself with its embedded Redis, worker and API."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import redis

from flashmart import supervisor
from flashmart.core.settings import Settings
from tests.backend.helpers import TEST_SECRET
from tests.backend.live_server import bind_free_port

# A child that, on SIGTERM, takes 0.3 s to finish, then notes when it exited.
CHILD = textwrap.dedent(
    """
    import signal, sys, time
    def stop(*_):
        time.sleep(0.3)
        with open(sys.argv[1], "a") as out:
            out.write(f"{sys.argv[2]} {time.monotonic()}\\n")
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    while True:
        time.sleep(0.05)
    """
)


def _wait_for(predicate: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.05)


def test_a_dead_child_restarts_with_back_off_and_stop_stops_redis_last(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    exits = tmp_path / "exits.txt"

    def starter(name: str) -> Callable[[], supervisor.Child]:
        def start() -> supervisor.Child:
            command = [sys.executable, str(script), str(exits), name]
            return supervisor.PopenChild(subprocess.Popen(command))

        return start

    programs = [
        supervisor.Program("redis", starter("redis"), stop_last=True),
        supervisor.Program("worker", starter("worker")),
        supervisor.Program("api", starter("api")),
    ]
    redis_program, worker, api = programs
    boss = supervisor.Supervisor(programs, grace_seconds=10)
    thread = threading.Thread(target=boss.run, kwargs={"handle_signals": False})
    thread.start()
    try:
        _wait_for(lambda: all(p.running for p in programs), 10, "all started")
        assert api.running is not None and redis_program.running is not None
        api_pid, redis_pid = api.running.pid, redis_program.running.pid
        delays = []
        for _ in range(3):  # it keeps dying young: each restart waits longer
            assert worker.running is not None
            pid = worker.running.pid
            assert pid is not None
            died = time.monotonic()
            os.kill(pid, signal.SIGKILL)
            _wait_for(
                lambda pid=pid: worker.running is not None and worker.running.pid != pid,  # type: ignore[misc]
                10,
                "the worker's restart",
            )
            delays.append(time.monotonic() - died)
        assert worker.restarts == 3
        assert delays[0] >= supervisor.RESTART_FIRST_SECONDS
        assert delays[2] >= 4 * supervisor.RESTART_FIRST_SECONDS > delays[0]
        # Nobody else was touched.
        assert api.running.pid == api_pid and api.running.exit_code() is None
        assert redis_program.running.pid == redis_pid
    finally:
        boss.stop()
        thread.join(30)
    assert not thread.is_alive()
    assert all(p.running is not None and p.running.exit_code() is not None for p in programs)
    stopped = dict(line.split() for line in exits.read_text().splitlines())
    assert set(stopped) == {"redis", "worker", "api"}
    # Redis got its SIGTERM only after the others had exited (each takes 0.3 s to).
    assert float(stopped["redis"]) - max(float(stopped["worker"]), float(stopped["api"])) >= 0.3


# --- `flashmart run` --------------------------------------------------------------------------
def _children(pid: int) -> dict[int, str]:
    """Direct children of `pid` and their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and cmdline:
            found[int(entry.name)] = cmdline
    return found


def _child(pid: int, marker: str) -> int | None:
    for child, cmdline in _children(pid).items():
        if marker in cmdline:
            return child
    return None


def _ready(port: int) -> bool:
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and response.json()["checks"]["worker"] == "ok"


@pytest.mark.slow
def test_flashmart_run_restarts_a_killed_worker_api_and_redis(
    settings: Settings, tmp_path: Path
) -> None:
    sock = bind_free_port()
    port = sock.getsockname()[1]
    sock.close()
    data = tmp_path / "run"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    env.update(
        DATABASE_URL=settings.database_url,
        DATA_DIR=str(data),
        FRONTEND_DIST=str(tmp_path / "no-frontend"),
        JWT_SECRET=TEST_SECRET,
        PAYMENT_WEBHOOK_SECRET=TEST_SECRET,
        WORKER_HEALTH_CHECK_INTERVAL="1",
        WORKER_NICE="0",
        LOG_LEVEL="WARNING",
    )
    log = tmp_path / "run.log"
    flashmart = Path(sys.executable).parent / "flashmart"
    command = [str(flashmart), "run", "--no-seed", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        run = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:

        def ready() -> bool:
            assert run.poll() is None, log.read_text()[-3000:]
            return _ready(port)

        _wait_for(ready, 90, "the stack's readiness")
        redis_port = int((data / "redis" / "server.json").read_text().split(":")[0])
        with redis.Redis(port=redis_port) as client:
            client.config_set("appendfsync", "always")
            client.set("fm-test:kept", "yes")
        for marker in ("flashmart worker", "flashmart serve", "redis-server"):
            before = _child(run.pid, marker)
            assert before is not None, (marker, _children(run.pid))
            os.kill(before, signal.SIGKILL)

            def replaced(marker: str = marker, before: int = before) -> bool:
                assert run.poll() is None, log.read_text()[-3000:]  # never a reason to stop
                now = _child(run.pid, marker)
                return now is not None and now != before

            _wait_for(replaced, 30, f"{marker} restarted")
            if marker == "redis-server":  # its files still hold the worker's last report
                _wait_for(lambda: "Redis is back" in log.read_text(), 30, "the worker's return")
            _wait_for(ready, 60, f"readiness after {marker} was killed")
        with redis.Redis(port=redis_port) as client:  # the same port, its own files
            assert client.get("fm-test:kept") == b"yes"
        text = log.read_text()
        for name in ("worker", "API", "redis"):
            assert f'"{name} (pid' in text and "starting it again" in text, text[-3000:]
        children = list(_children(run.pid))
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=90) == 0, log.read_text()[-3000:]
        assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for pid in _children(run.pid):
            os.kill(pid, signal.SIGKILL)


# A parent that starts a child the way `flashmart run` starts the worker and the API.
PARENT = textwrap.dedent(
    """
    import sys, time
    from flashmart.cli import _child
    child = _child([sys.executable, "-c", "import time; time.sleep(120)"])()
    print(child.pid, flush=True)
    time.sleep(120)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_children_of_flashmart_run_stop_when_it_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE)
    child = 0
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert Path(f"/proc/{child}").exists()
        parent.kill()
        parent.wait()

        def gone() -> bool:  # exited and reaped by init, or a zombie awaiting it
            try:
                state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                return True
            return state == "Z"

        _wait_for(gone, 10, "the orphan's exit")
    finally:
        if parent.poll() is None:
            parent.kill()
        if child:
            with contextlib.suppress(OSError):  # one left running by a failure
                os.kill(child, signal.SIGKILL)
