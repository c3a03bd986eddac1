"""The embedded Redis: a real redis-server that starts, runs Lua and stops with its owner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import redis

from flashmart.core import embedded_redis


def _alive(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.ConnectionError:
        return False


def test_starts_serves_lua_and_stops(tmp_path: Path) -> None:
    server = embedded_redis.start(tmp_path, reuse=False)
    try:
        assert server.url.startswith("redis://127.0.0.1:")
        client = redis.Redis.from_url(server.url)
        script = client.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        assert script(keys=["n"], args=[5]) == 5
        assert script(keys=["n"], args=[2]) == 7
        assert (tmp_path / "redis" / "appendonly.aof").exists() or any(
            (tmp_path / "redis").glob("appendonly*")
        )
    finally:
        server.stop()
    assert not _alive(server.url)


def test_second_process_joins_instead_of_starting_another(tmp_path: Path) -> None:
    owner = embedded_redis.start(tmp_path, reuse=True)
    try:
        joiner = embedded_redis.start(tmp_path, reuse=True)
        assert joiner.url == owner.url and not joiner.owned
        joiner.stop()  # a joiner never stops the owner's server
        assert _alive(owner.url)
    finally:
        owner.stop()


def test_server_stops_when_owning_process_exits(tmp_path: Path) -> None:
    code = (
        "import os, sys; from pathlib import Path\n"
        "from flashmart.core.embedded_redis import ensure_redis_url\n"
        "with ensure_redis_url(Path(sys.argv[1])) as url: print(url, flush=True)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    url = done.stdout.strip()
    assert url.startswith("redis://127.0.0.1:")
    assert not _alive(url)
