"""The committed migrations build the schema the models expect, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from aerich import Command
from tortoise import Tortoise, connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from flashmart.accounts.models import AccountToken, TokenPurpose, User
from flashmart.catalog.models import Product
from flashmart.core.db import MIGRATIONS_DIR, normalize_url, tortoise_config
from flashmart.core.migrations import migrate
from flashmart.core.settings import Settings
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from tests.backend.conftest import _pg_admin_url, _pg_execute


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


async def test_a_sale_cannot_sell_more_than_its_stock(db: None) -> None:
    product = await Product.create(name="Widget", slug="widget", price=Decimal("1.00"), stock=9)
    now = datetime.now(UTC)
    event = await SeckillEvent.create(
        product_id=product.id, price=Decimal("1.00"), total_stock=3, starts_at=now,
        ends_at=now + timedelta(hours=1), sold=3,
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        await SeckillEvent.filter(id=event.id).update(sold=F("sold") + 1)
    with pytest.raises(IntegrityError):
        await SeckillEvent.create(
            product_id=product.id, price=Decimal("1.00"), total_stock=1, starts_at=now,
            ends_at=now + timedelta(hours=1), sold=2,
        )  # fmt: skip
    assert (await SeckillEvent.get(id=event.id)).sold == 3


async def _empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database of the backend under test (dropped after the test)."""
    if request.config.getoption("--db") == "sqlite":
        return f"sqlite://{tmp_path / 'before.sqlite3'}"
    admin = _pg_admin_url()
    name = f"fm_mig_{uuid.uuid4().hex[:10]}"
    await _pg_execute(admin, f'CREATE DATABASE "{name}"')
    request.addfinalizer(
        lambda: asyncio.run(_pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    )
    return admin.rsplit("/", 1)[0] + f"/{name}"


async def _insert(table: str, **values: object) -> int:
    """INSERT a row with plain SQL, for tables whose model has columns a later migration adds;
    returns its id. Values are the tests' own constants (numbers, simple strings, datetimes)."""

    def literal(value: object) -> str:
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | Decimal):
            return str(value)
        return f"'{value}'"  # str(datetime) is the text Tortoise writes on SQLite

    columns = ", ".join(f'"{c}"' for c in values)
    row = ", ".join(literal(v) for v in values.values())
    rows = await connections.get("default").execute_query_dict(
        f'INSERT INTO "{table}" ({columns}) VALUES ({row}) RETURNING "id"'
    )
    return int(rows[0]["id"])


async def _migrated_up_to(
    request: pytest.FixtureRequest, tmp_path: Path, first_left_out: int
) -> tuple[str, list[str]]:
    """A database migrated up to, not including, migration `first_left_out`, with Tortoise
    initialised on it (the models are today's: write only columns that existed then). Returns
    the URL and the names of the migrations left out."""
    url = await _empty_database(request, tmp_path)
    before = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, before)
    left_out = sorted(
        (p for p in before.glob("models/*.py") if int(p.name.split("_")[0]) >= first_left_out),
        key=lambda p: int(p.name.split("_")[0]),
    )
    for path in left_out:
        path.unlink()
    normalize_url(url, pool_size=2)
    command = Command(
        tortoise_config=tortoise_config(url, pool_size=2), app="models", location=str(before)
    )
    await Tortoise.init(config=command.tortoise_config)
    await command.init()
    await command.upgrade(run_in_transaction=True)
    return url, [p.name for p in left_out]


async def test_the_stock_constraint_keeps_existing_sales_and_their_tickets(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Migration 6 on a database that already holds sales, tickets pointing at them and a
    deleted sale's id: rows, references and the id counter survive (SQLite rebuilds the
    table), and the rule holds afterwards."""
    url, left_out = await _migrated_up_to(request, tmp_path, 6)
    try:
        product = await Product.create(name="W", slug="w", price=Decimal("1.00"), stock=9)
        now = datetime.now(UTC)
        user_id = await _insert(
            "accounts_user", email="a@example.com", password_hash="x", role="CUSTOMER",
            is_active=True, created_at=now, updated_at=now,
        )  # fmt: skip
        window = {"starts_at": now, "ends_at": now + timedelta(hours=1), "price": Decimal("2.50")}
        event = {"product_id": product.id, "per_user_limit": 1, "created_at": now, **window}
        kept_id = await _insert("seckill_event", total_stock=3, sold=2, **event)
        gone_id = await _insert("seckill_event", total_stock=1, sold=0, **event)
        await SeckillEvent.filter(id=gone_id).delete()
        await SeckillTicket.create(
            id="t1", event_id=kept_id, user_id=user_id, quantity=2,
            status=TicketStatus.SUCCEEDED, reserved_at=now,
        )  # fmt: skip
    finally:
        await Tortoise.close_connections()

    assert await migrate(url) == left_out
    from flashmart.core.db import init_db

    await init_db(url)
    try:
        row = await SeckillEvent.get(id=kept_id)
        assert (row.total_stock, row.sold, row.price) == (3, 2, Decimal("2.50"))
        assert (await SeckillTicket.get(id="t1")).event_id == kept_id
        conn = connections.get("default")
        if conn.capabilities.dialect == "sqlite":
            _, problems = await conn.execute_query("PRAGMA foreign_key_check")
            assert list(problems) == []
        fresh = await SeckillEvent.create(product_id=product.id, total_stock=1, **window)
        assert fresh.id > gone_id  # a deleted sale's id is not handed out again
        with pytest.raises(IntegrityError):
            await SeckillEvent.filter(id=kept_id).update(sold=4)
        with pytest.raises(IntegrityError):  # a referenced sale still cannot be deleted
            await SeckillEvent.filter(id=kept_id).delete()
    finally:
        await Tortoise.close_connections()


async def test_email_verification_keeps_existing_users_unverified_and_stores_tokens(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Migration 7 on a database with users: they stay, unverified; tokens are unique."""
    url, left_out = await _migrated_up_to(request, tmp_path, 7)
    now = datetime.now(UTC)
    try:
        user_id = await _insert(
            "accounts_user", email="a@example.com", password_hash="x", role="CUSTOMER",
            is_active=True, created_at=now, updated_at=now,
        )  # fmt: skip
    finally:
        await Tortoise.close_connections()

    assert await migrate(url) == left_out
    from flashmart.core.db import init_db

    await init_db(url)
    try:
        user = await User.get(id=user_id)
        assert (user.email, user.email_verified_at) == ("a@example.com", None)
        token = {"user_id": user_id, "purpose": TokenPurpose.VERIFY_EMAIL, "expires_at": now}
        await AccountToken.create(token_hash="a" * 64, **token)
        with pytest.raises(IntegrityError):
            await AccountToken.create(token_hash="a" * 64, **token)
        await User.filter(id=user_id).update(email_verified_at=now)
        assert (await User.get(id=user_id)).email_verified_at == now
    finally:
        await Tortoise.close_connections()


async def test_existing_sales_stay_open_to_every_account(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Migration 8 on a database with a sale: it does not require verified accounts."""
    url, left_out = await _migrated_up_to(request, tmp_path, 8)
    now = datetime.now(UTC)
    try:
        product = await Product.create(name="W", slug="w", price=Decimal("1.00"), stock=9)
        event_id = await _insert(
            "seckill_event", product_id=product.id, price=Decimal("2.50"), total_stock=3, sold=0,
            starts_at=now, ends_at=now + timedelta(hours=1), per_user_limit=1, created_at=now,
        )  # fmt: skip
    finally:
        await Tortoise.close_connections()

    assert await migrate(url) == left_out
    from flashmart.core.db import init_db

    await init_db(url)
    try:
        assert (await SeckillEvent.get(id=event_id)).requires_verified_account is False
        await SeckillEvent.filter(id=event_id).update(requires_verified_account=True)
        assert (await SeckillEvent.get(id=event_id)).requires_verified_account is True
    finally:
        await Tortoise.close_connections()
