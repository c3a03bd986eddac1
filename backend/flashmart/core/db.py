"""Tortoise ORM configuration and lifecycle, shared by API, worker, CLI and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url

from flashmart.core.breaker import DATABASE
from flashmart.core.settings import Settings

MODEL_MODULES = [
    "flashmart.accounts.models",
    "flashmart.catalog.models",
    "flashmart.seckill.models",
    "flashmart.cart.models",
    "flashmart.orders.models",
    "flashmart.payments.models",
    "flashmart.addresses.models",
    "flashmart.aftersales.models",
    "aerich.models",
]
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _with_params(url: str, defaults: dict[str, str]) -> str:
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    for key, value in defaults.items():
        params.setdefault(key, value)
    return urlunsplit(parts._replace(query=urlencode(params)))


def normalize_url(url: str, *, pool_size: int, timeout: float | None = None) -> str:
    """Add the connection options FlashMart relies on unless the URL sets them; `timeout` is
    SQLite's busy timeout (default 10 s)."""
    if url.startswith("sqlite"):
        path = url.split("://", 1)[1].split("?", 1)[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # API and worker are separate processes writing one file: wait for the lock, don't fail.
        busy_ms = str(int((timeout if timeout is not None else 10.0) * 1000))
        return _with_params(url, {"busy_timeout": busy_ms})
    if url.startswith(("postgres", "asyncpg", "psycopg")):
        return _with_params(url, {"minsize": "1", "maxsize": str(pool_size)})
    return url


def _connection(
    url: str, pool_size: int, timeout: float | None, connect_timeout: float | None
) -> str | dict[str, Any]:
    """The URL, or for PostgreSQL with timeouts the expanded config on FlashMart's guarded
    client (core/db_client.py): asyncpg's connect `timeout` and `command_timeout`."""
    normalized = normalize_url(url, pool_size=pool_size, timeout=timeout)
    if timeout is None or not url.startswith(("postgres", "asyncpg")):
        return normalized
    config = expand_db_url(normalized)
    config["engine"] = "flashmart.core.db_client"
    config["credentials"].setdefault("command_timeout", timeout)
    if connect_timeout is not None:
        config["credentials"].setdefault("timeout", connect_timeout)
    return config


def tortoise_config(
    url: str,
    *,
    pool_size: int = 20,
    timeout: float | None = None,
    connect_timeout: float | None = None,
) -> dict[str, Any]:
    """Tortoise's config for `url`. With `timeout` (the processes', via `init_db`): command and
    busy timeouts and, on PostgreSQL, the client behind the database's breaker."""
    return {
        "connections": {"default": _connection(url, pool_size, timeout, connect_timeout)},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(
    url: str,
    *,
    pool_size: int = 20,
    timeout: float = 10.0,  # noqa: ASYNC109 - the statements' timeout, handed to the pool
    connect_timeout: float = 5.0,
    breaker_failures: int = 3,
    breaker_open_seconds: float = 2.0,
) -> None:
    """Open the ORM's connections: `timeout` bounds every statement (SQLite: the wait for the
    write lock), `connect_timeout` every new connection; the database's breaker starts closed."""
    DATABASE.configure(failure_threshold=breaker_failures, open_seconds=breaker_open_seconds)
    DATABASE.reset()
    # The lifespan task inits; request tasks must see the same ORM state, hence the global fallback.
    config = tortoise_config(
        url, pool_size=pool_size, timeout=timeout, connect_timeout=connect_timeout
    )
    await Tortoise.init(config=config, _enable_global_fallback=True)


async def init_db_for(settings: Settings, *, pool_size: int | None = None) -> None:
    """`init_db` with the timeouts and breaker settings of `settings`."""
    await init_db(
        settings.database_url,
        pool_size=pool_size or settings.database_pool_size,
        timeout=settings.database_timeout_seconds,
        connect_timeout=settings.database_connect_timeout_seconds,
        breaker_failures=settings.breaker_failure_threshold,
        breaker_open_seconds=settings.breaker_open_seconds,
    )


async def close_db() -> None:
    await Tortoise.close_connections()


async def ping_db() -> None:
    await connections.get("default").execute_query("SELECT 1")
