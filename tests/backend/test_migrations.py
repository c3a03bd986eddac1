"""The committed migrations build the schema the models expect, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tortoise import Tortoise, connections
from tortoise.exceptions import IntegrityError

from flashmart.catalog.models import Product
from flashmart.core.migrations import migrate
from flashmart.core.settings import Settings


async def _columns(table: str) -> set[str]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        _, rows = await conn.execute_query(f'PRAGMA table_info("{table}")')
        return {row["name"] for row in rows}
    _, rows = await conn.execute_query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1",
        [table],
    )
    return {row["column_name"] for row in rows}


async def test_every_model_table_and_column_exists(db: None) -> None:
    for model in Tortoise.apps["models"].values():
        expected = {model._meta.fields_db_projection[n] for n in model._meta.db_fields}
        assert expected <= await _columns(model._meta.db_table), model.__name__


async def test_migrate_again_applies_nothing(settings: Settings, db: None) -> None:
    await Tortoise.close_connections()
    try:
        assert await migrate(settings.database_url) == []
    finally:
        from flashmart.core.db import init_db

        await init_db(settings.database_url)


async def test_stock_cannot_go_negative(db: None) -> None:
    product = await Product.create(name="Widget", slug="widget", price=Decimal("1.00"), stock=1)
    with pytest.raises(IntegrityError):
        await Product.filter(id=product.id).update(stock=-1)
    await product.refresh_from_db()
    assert product.stock == 1
