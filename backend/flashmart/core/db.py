"""Tortoise ORM configuration and lifecycle, shared by API, worker, CLI and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tortoise import Tortoise, connections

MODEL_MODULES = [
    "flashmart.accounts.models",
    "flashmart.catalog.models",
    "flashmart.seckill.models",
    "flashmart.cart.models",
    "flashmart.orders.models",
    "flashmart.payments.models",
    "aerich.models",
]
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _with_params(url: str, defaults: dict[str, str]) -> str:
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    for key, value in defaults.items():
        params.setdefault(key, value)
    return urlunsplit(parts._replace(query=urlencode(params)))


def normalize_url(url: str, *, pool_size: int) -> str:
    """Add the connection options FlashMart relies on unless the URL sets them."""
    if url.startswith("sqlite"):
        path = url.split("://", 1)[1].split("?", 1)[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # API and worker are separate processes writing one file: wait for the lock, don't fail.
        return _with_params(url, {"busy_timeout": "10000"})
    if url.startswith(("postgres", "asyncpg", "psycopg")):
        return _with_params(url, {"minsize": "1", "maxsize": str(pool_size)})
    return url


def tortoise_config(url: str, *, pool_size: int = 20) -> dict[str, Any]:
    return {
        "connections": {"default": normalize_url(url, pool_size=pool_size)},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(url: str, *, pool_size: int = 20) -> None:
    # The lifespan task inits; request tasks must see the same ORM state, hence the global fallback.
    await Tortoise.init(
        config=tortoise_config(url, pool_size=pool_size), _enable_global_fallback=True
    )


async def close_db() -> None:
    await Tortoise.close_connections()


async def ping_db() -> None:
    await connections.get("default").execute_query("SELECT 1")
