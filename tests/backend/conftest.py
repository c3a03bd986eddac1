"""Fixtures: a clean database (SQLite or PostgreSQL) and a clean Redis namespace per test.

Real servers only. Redis: REDIS_URL, else the machine's 127.0.0.1:6379, else an embedded
redis-server started for the session. PostgreSQL: TEST_POSTGRES_URL (a server where we may
create databases); with REQUIRE_POSTGRES=1 a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import redis as sync_redis
from redis.asyncio import Redis

from flashmart.app import create_app
from flashmart.core import embedded_redis
from flashmart.core.db import close_db, init_db_for
from flashmart.core.migrations import migrate
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from tests.backend.helpers import MANIFEST, TEST_SECRET, Api, serving
from tests.backend.processes import api_processes_factory

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=("sqlite", "postgres"), default="sqlite")


def pytest_report_header(config: pytest.Config) -> str:
    return f"database backend: {config.getoption('--db')}"


# --- Redis ----------------------------------------------------------------------------------
def _reachable(url: str) -> bool:
    try:
        client = sync_redis.Redis.from_url(url, socket_connect_timeout=0.5)
        return bool(client.ping())
    except (sync_redis.RedisError, OSError):
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    for candidate in (os.environ.get("REDIS_URL"), "redis://127.0.0.1:6379/0"):
        if candidate and _reachable(candidate):
            yield candidate
            return
    server = embedded_redis.start(tmp_path_factory.mktemp("redis"), reuse=False)
    yield server.url
    server.stop()


@pytest.fixture
def redis_prefix() -> str:
    return f"fmtest:{uuid.uuid4().hex[:12]}:"


@pytest.fixture
async def redis(redis_url: str, redis_prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    keys = [k async for k in client.scan_iter(match=f"{redis_prefix}*", count=1000)]
    # arq's own job and result keys are not prefixed; they expire on their own.
    if keys:
        await client.delete(*keys)
    await client.aclose()


# --- Database -------------------------------------------------------------------------------
def _pg_admin_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG)


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def _pg_execute(url: str, sql: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(url), timeout=3)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database for the session: a SQLite file to copy, or a PostgreSQL database."""
    backend = request.config.getoption("--db")
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "template.sqlite3"
        asyncio.run(migrate(f"sqlite://{path}"))
        yield f"sqlite://{path}"
        return
    admin = _pg_admin_url()
    name = f"fm_test_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_pg_execute(admin, f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        message = f"PostgreSQL not reachable at {admin}: {exc}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    asyncio.run(migrate(url))
    yield url
    asyncio.run(_pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_pg(url: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'aerich'"
        )
        if tables:
            names = ", ".join(f'"{t["tablename"]}"' for t in tables)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


@pytest.fixture
async def database_url(database_template: str, tmp_path: Path) -> str:
    """A clean, migrated database for one test."""
    if database_template.startswith("sqlite"):
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(database_template.split("://", 1)[1], target)
        return f"sqlite://{target}"
    await _truncate_pg(database_template)
    return database_template


@pytest.fixture
def settings(database_url: str, redis_url: str, redis_prefix: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        database_pool_size=10,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
        data_dir=tmp_path / "data",
        jwt_secret=TEST_SECRET,
        payment_webhook_secret=TEST_SECRET,
        log_json=True,
        log_level="WARNING",
        frontend_dist=tmp_path / "no-frontend",
        trusted_documents_manifest=MANIFEST,  # the frontend's, wherever the tests run from
        worker_health_check_interval=1,
        # This process starts hundreds of apps: their start-up must not freeze the tests'
        # objects (tests/backend/core/test_gc_tuning.py checks the tuning itself).
        gc_young_threshold=0,
        # A unit that comes back sells at once (tests/backend/seckill/test_sold_out_memo.py
        # tests the memo that otherwise answers SOLD_OUT for a moment after a sell-out).
        seckill_sold_out_memo_ms=0,
        # Orders cost what their lines cost; the shipping tests set a fee of their own.
        shipping_fee=Decimal("0.00"),
    )


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[None]:
    """Tortoise initialised on the test's database (shared by app and worker in this process)."""
    await init_db_for(settings)
    yield
    await close_db()


# --- HTTP -----------------------------------------------------------------------------------
@pytest.fixture
def api_processes(settings: Settings, tmp_path: Path) -> Any:
    """`async with api_processes(2) as [url_a, url_b]`: real `flashmart serve` processes;
    keyword arguments are extra environment variables (tests/backend/processes.py)."""
    return api_processes_factory(settings, tmp_path)


@pytest.fixture
def app_factory(settings: Settings, db: None) -> Any:
    def build(**overrides: Any) -> Any:
        return create_app(settings.model_copy(update=overrides), manage_database=False)

    return build


@pytest.fixture
async def api(app_factory: Any, redis: Redis) -> AsyncIterator[Api]:
    async with serving(app_factory()) as client:
        yield Api(client)


@pytest.fixture
async def runtime(settings: Settings, db: None, redis: Redis) -> AsyncIterator[Runtime]:
    """What services get in the API and the worker: settings, Redis, the queue, key names."""
    async with Runtime.open(settings) as opened:
        yield opened


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[embedded_redis.EmbeddedRedis]:
    """A private redis-server the test may kill and relaunch (never the machine's shared one),
    started as the project's embedded Redis runs by default (SECKILL_DURABILITY=durable): it
    has every write on disk before it answers, so what it acknowledged before a SIGKILL is
    there after the restart."""
    server = embedded_redis.start(tmp_path / "own-redis", reuse=False)
    try:
        with sync_redis.Redis.from_url(server.url) as admin:
            assert admin.config_get("appendfsync")["appendfsync"] == "always"
        yield server
    finally:
        server.stop()
