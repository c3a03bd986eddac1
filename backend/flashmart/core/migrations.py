"""Apply the committed aerich migrations (SQLite and PostgreSQL)."""

from __future__ import annotations

from aerich import Command
from tortoise import Tortoise

from flashmart.core.db import MIGRATIONS_DIR, normalize_url, tortoise_config


async def migrate(database_url: str) -> list[str]:
    """Apply every migration not yet recorded; returns the names applied."""
    normalize_url(database_url, pool_size=2)  # creates the SQLite file's folder
    command = Command(
        tortoise_config=tortoise_config(database_url, pool_size=2),
        app="models",
        location=str(MIGRATIONS_DIR),
    )
    await Tortoise.init(config=command.tortoise_config)
    try:
        await command.init()
        applied: list[str] = await command.upgrade(run_in_transaction=True)
    finally:
        await Tortoise.close_connections()
    return applied
