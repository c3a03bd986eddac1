"""Every `flashmart` command answers --help (the installed entry point, a real process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = ["serve", "worker", "migrate", "seed", "createadmin", "export-schema", "run", "seckill"]


def _flashmart() -> list[str]:
    exe = Path(sys.executable).parent / "flashmart"
    return [str(exe)] if exe.exists() else [shutil.which("flashmart") or "flashmart"]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help(command: str) -> None:
    done = subprocess.run(
        [*_flashmart(), command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout and command in done.stdout


def test_export_schema_writes_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    done = subprocess.run(
        [*_flashmart(), "export-schema", "--output", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "type Query" in target.read_text()


def test_export_schema_prints_the_committed_sdl_without_output() -> None:
    done = subprocess.run(
        [*_flashmart(), "export-schema"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    committed = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text()
    assert done.stdout == committed


def test_export_schema_in_a_production_shell(tmp_path: Path) -> None:
    """The SDL is the same everywhere: production-only checks (the sandbox refusal) do not
    stop an export."""
    done = subprocess.run(
        [*_flashmart(), "export-schema"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_production_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    committed = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text()
    assert done.stdout == committed


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A production environment with strong secrets and nothing else of the caller's settings."""
    keep = ("PATH", "PYTHONPATH", "HOME", "LANG", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        ENV="production",
        JWT_SECRET="j" * 40,
        PAYMENT_WEBHOOK_SECRET="p" * 40,
        DATA_DIR=str(tmp_path / "data"),
        **extra,
    )
    return env


@pytest.mark.parametrize("command", [["serve"], ["worker"], ["run", "--no-seed"]])
def test_production_refuses_the_sandbox_provider(tmp_path: Path, command: list[str]) -> None:
    done = subprocess.run(
        [*_flashmart(), *command],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,  # no .env of the repository
        env=_production_env(tmp_path),
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "PAYMENT_PROVIDER=sandbox in production" in done.stderr
    assert "ALLOW_SANDBOX_PAYMENTS=true" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists(), "nothing started before the refusal"


def test_production_starts_with_the_sandbox_when_allowed(tmp_path: Path, redis_url: str) -> None:
    env = _production_env(
        tmp_path, ALLOW_SANDBOX_PAYMENTS="true", REDIS_URL=redis_url, REDIS_PREFIX="fmtest:cli:"
    )
    # `worker --check` gets past the settings and asks Redis for a worker's health report.
    done = subprocess.run(
        [*_flashmart(), "worker", "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert "invalid settings" not in done.stderr
    assert done.returncode == 1, (done.stdout, done.stderr)  # no worker runs under this prefix


def test_worker_check_asks_the_queue_redis(tmp_path: Path, redis_url: str) -> None:
    """With QUEUE_REDIS_URL, `worker --check` reads the health report there (where the worker
    writes it), not in REDIS_URL."""
    import redis

    from flashmart.core import embedded_redis, system
    from flashmart.core.keys import Keys

    prefix = f"fmtest:cli:{os.getpid()}:"
    queue = embedded_redis.start(tmp_path / "queue-redis", reuse=False)
    env = _production_env(
        tmp_path, ALLOW_SANDBOX_PAYMENTS="true", REDIS_URL=redis_url, REDIS_PREFIX=prefix,
        QUEUE_REDIS_URL=queue.url,
    )  # fmt: skip

    def check() -> int:
        done = subprocess.run(
            [*_flashmart(), "worker", "--check"],
            capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env,
        )  # fmt: skip
        return done.returncode

    try:
        assert check() == 1  # no report anywhere
        client = redis.Redis.from_url(queue.url)
        try:
            client.set(system.health_check_key(Keys(prefix)), b"j_complete=0", ex=60)
        finally:
            client.close()
        assert check() == 0
    finally:
        queue.stop()
