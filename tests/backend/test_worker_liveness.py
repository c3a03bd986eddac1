"""The worker's liveness file (flashmart/worker_liveness.py) and `flashmart worker --alive`,
the liveness probe of a worker pod (docs/kubernetes.md): a real worker process touches the
file while its loop turns, also through a Redis outage; frozen (SIGSTOP), the probe fails
once the file is older than its limit."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from flashmart.core.embedded_redis import EmbeddedRedis
from flashmart.core.settings import Settings
from flashmart.worker import RECONNECT_MAX_SECONDS
from flashmart.worker_liveness import STALE_AFTER_INTERVALS, LivenessFile, limit_seconds
from tests.backend.processes import worker_env
from tests.backend.test_cli import _flashmart

# WORKER_HEALTH_CHECK_INTERVAL=1: the outage back-off (up to 5 s between polls) sets the limit.
LIMIT = limit_seconds(1, RECONNECT_MAX_SECONDS)


def _alive(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_flashmart(), "worker", "--alive"], capture_output=True, text=True, timeout=60, env=env
    )


def test_beat_touches_the_file_at_most_once_an_interval(tmp_path: Path) -> None:
    path = tmp_path / "run" / "worker-alive"
    liveness = LivenessFile(path, interval=0.5)
    liveness.beat()
    first = path.stat().st_mtime_ns
    os.utime(path, ns=(first - 10**9, first - 10**9))  # a second older
    liveness.beat()  # within the interval: untouched
    assert path.stat().st_mtime_ns == first - 10**9
    time.sleep(0.6)
    liveness.beat()
    assert path.stat().st_mtime_ns > first


def test_alive_answers_from_the_files_age(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "worker-alive"
    env = worker_env(settings, WORKER_LIVENESS_FILE=str(path), WORKER_HEALTH_CHECK_INTERVAL="10")
    missing = _alive(env)
    assert missing.returncode == 1 and "no liveness file" in missing.stderr

    path.touch()
    fresh = _alive(env)
    assert fresh.returncode == 0, fresh.stderr

    old = time.time() - STALE_AFTER_INTERVALS * 10 - 1
    os.utime(path, (old, old))
    stale = _alive(env)
    assert stale.returncode == 1 and "limit 30 s" in stale.stderr, stale.stderr

    unset = _alive({k: v for k, v in env.items() if k != "WORKER_LIVENESS_FILE"})
    assert unset.returncode == 2 and "needs WORKER_LIVENESS_FILE" in unset.stderr


def _start_worker(env: dict[str, str], path: Path) -> subprocess.Popen[bytes]:
    """A migrated database and a real `flashmart worker` that has touched `path`."""
    migrate = subprocess.run(
        [*_flashmart(), "migrate"], capture_output=True, text=True, timeout=120, env=env
    )
    assert migrate.returncode == 0, migrate.stderr
    worker = subprocess.Popen(
        [*_flashmart(), "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not path.exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise AssertionError(f"no liveness file: {worker.communicate()[1].decode()}")
        time.sleep(0.1)
    return worker


@pytest.mark.slow
def test_a_running_worker_is_alive_and_a_frozen_one_is_not(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "worker-alive"
    env = worker_env(settings, WORKER_LIVENESS_FILE=str(path), WORKER_HEALTH_CHECK_INTERVAL="1")
    worker = _start_worker(env, path)
    try:
        first = path.stat().st_mtime
        time.sleep(2.5)  # a turning loop touches it again within each second
        assert path.stat().st_mtime > first
        assert _alive(env).returncode == 0

        worker.send_signal(signal.SIGSTOP)  # a loop that no longer turns
        try:
            time.sleep(LIMIT + 1.5)
            frozen = _alive(env)
            assert frozen.returncode == 1, frozen.stdout
            assert f"limit {LIMIT:g} s" in frozen.stderr
        finally:
            worker.send_signal(signal.SIGCONT)
        deadline = time.monotonic() + 30
        while _alive(env).returncode != 0:
            assert time.monotonic() < deadline, "the thawed worker never touched the file again"
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=90)


@pytest.mark.slow
def test_a_worker_waiting_out_a_redis_outage_stays_alive(
    settings: Settings, tmp_path: Path, own_redis: EmbeddedRedis
) -> None:
    """The poll loop keeps turning while Redis is away (the worker rides the outage out), so
    the probe does not restart it; `worker --check`, which asks Redis, fails meanwhile."""
    path = tmp_path / "worker-alive"
    env = worker_env(
        settings,
        WORKER_LIVENESS_FILE=str(path),
        WORKER_HEALTH_CHECK_INTERVAL="1",
        REDIS_URL=own_redis.url,
    )
    worker = _start_worker(env, path)
    try:
        own_redis.kill()
        outage_started = time.time()
        time.sleep(LIMIT + 2)
        # Touched during the outage, polls apart (at most RECONNECT_MAX_SECONDS).
        assert path.stat().st_mtime > outage_started + RECONNECT_MAX_SECONDS
        alive = _alive(env)
        assert alive.returncode == 0, alive.stderr
        check = subprocess.run(
            [*_flashmart(), "worker", "--check"], capture_output=True, timeout=60, env=env
        )
        assert check.returncode != 0
        assert worker.poll() is None, "the worker rides the outage out"
    finally:
        own_redis.relaunch()
        worker.terminate()
        worker.wait(timeout=90)
