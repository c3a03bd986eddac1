"""The data side of the benchmark: scratch database, shoppers and sales, drain and audit."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
from naive_app import CREATE_TABLE, TABLE
from procs import BenchError, log
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from tortoise import connections

from flashmart.accounts.models import Role, User
from flashmart.accounts.passwords import hash_password
from flashmart.catalog.models import Product
from flashmart.core.db import close_db, init_db
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from flashmart.seckill.audit import audit
from flashmart.seckill.events import EventInput, create_event, warm_up
from flashmart.seckill.models import AdmissionMode, SeckillTicket
from flashmart.seckill.store import SaleStore

SHOPPER_PASSWORD = "bench-shopper-password"


async def _pg_execute(admin_url: str, sql: str) -> str:
    conn = await asyncpg.connect(admin_url, timeout=3)
    try:
        version: str = await conn.fetchval("SHOW server_version")
        await conn.execute(sql)
        return version
    finally:
        await conn.close()


def scratch_database(
    tmp: Path, force_sqlite: bool, stack: contextlib.ExitStack, prefix: str = "fmbench"
) -> tuple[str, str]:
    """(DATABASE_URL, description): a scratch PostgreSQL database dropped at exit, else SQLite."""
    if not force_sqlite:
        base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip(
            "/"
        )
        name = f"{prefix}_{secrets.token_hex(4)}"
        try:
            version = asyncio.run(_pg_execute(f"{base}/postgres", f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # noqa: BLE001 - any failure means "use SQLite"
            log(f"PostgreSQL not reachable at {base} ({type(exc).__name__}); using SQLite")
        else:

            def drop() -> None:
                asyncio.run(
                    _pg_execute(
                        f"{base}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                    )
                )
                log(f"dropped scratch database {name}")

            stack.callback(drop)
            log(f"scratch PostgreSQL database {name} (server {version})")
            return f"{base}/{name}", f"PostgreSQL {version.split()[0]}"
    path = tmp / "flashmart.sqlite3"
    return f"sqlite://{path}", f"SQLite {sqlite3.sqlite_version}"


def database_backends(database_url: str) -> set[int]:
    """PIDs of the PostgreSQL backends connected to our scratch database (none for SQLite)."""
    if not database_url.startswith("postgres"):
        return set()
    base, _, name = database_url.rpartition("/")

    async def query() -> set[int]:
        conn = await asyncpg.connect(f"{base}/postgres", timeout=3)
        try:
            rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", name)
        finally:
            await conn.close()
        return {int(r["pid"]) for r in rows}

    try:
        return asyncio.run(query())
    except Exception:  # noqa: BLE001 - accounting only
        return set()


# --- preparation (in this process) -------------------------------------------------------------
async def prepare(cfg: argparse.Namespace, redis_url: str) -> dict[str, Any]:
    await init_db(os.environ["DATABASE_URL"], pool_size=4)
    try:
        shared_hash = await asyncio.to_thread(hash_password, SHOPPER_PASSWORD)
        tag = secrets.token_hex(3)
        with Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        ) as progress:
            task = progress.add_task("shoppers (bulk_create)", total=cfg.shoppers)
            for start in range(0, cfg.shoppers, 1000):
                batch = [
                    User(
                        email=f"bench{i}-{tag}@flashmart.local",
                        password_hash=shared_hash,
                        role=Role.CUSTOMER,
                    )
                    for i in range(start, min(cfg.shoppers, start + 1000))
                ]
                await User.bulk_create(batch)
                progress.advance(task, len(batch))
            task = progress.add_task("product, flash sales", total=4)
            user_ids = sorted(
                await User.filter(email__endswith=f"-{tag}@flashmart.local").values_list(
                    "id", flat=True
                )
            )
            product = await Product.create(
                name="Bench Phone",
                slug=f"bench-phone-{tag}",
                price=Decimal("999.00"),
                stock=cfg.units + 1,
            )
            now = datetime.now(UTC)
            event = await create_event(
                EventInput(
                    product_id=product.id,
                    price=Decimal("499.00"),
                    total_stock=cfg.units,
                    starts_at=now - timedelta(seconds=1),
                    ends_at=now + timedelta(hours=1),
                    per_user_limit=1,
                )
            )
            progress.advance(task)
            # A sale that has not started: the warm-up pass exercises the whole path on it.
            early = await create_event(
                EventInput(
                    product_id=product.id,
                    price=Decimal("499.00"),
                    total_stock=1,
                    starts_at=now + timedelta(hours=2),
                    ends_at=now + timedelta(hours=3),
                    per_user_limit=1,
                )
            )
            progress.advance(task)
            async with Runtime.open(Settings(), redis_url=redis_url) as runtime:
                await warm_up(runtime, event.id)
                await warm_up(runtime, early.id)
            progress.advance(task)
            # The naive baseline's products (same units) and its purchase table.
            naive = await Product.create(
                name="Bench Naive",
                slug=f"bench-naive-{tag}",
                price=Decimal("499.00"),
                stock=cfg.units,
            )
            naive_empty = await Product.create(
                name="Bench Naive Empty",
                slug=f"bench-naive-empty-{tag}",
                price=Decimal("1.00"),
                stock=0,
            )
            await connections.get("default").execute_script(CREATE_TABLE)
            progress.advance(task)
    finally:
        await close_db()
    return {
        "user_ids": user_ids,
        "event_id": event.id,
        "event_gid": encode_id("SeckillEvent", event.id),
        "early_gid": encode_id("SeckillEvent", early.id),
        "naive_product": naive.id,
        "naive_empty_product": naive_empty.id,
    }


# --- the crowds: shoppers who never made a request, sales nobody has touched ------------------
async def fresh_shoppers(count: int, redis_url: str) -> dict[str, Any]:
    """`count` new shoppers, with any cached token stamp of theirs deleted from Redis (none is
    expected: they never made a request), so the API reads each stamp on their first buy."""
    from flashmart.core.keys import Keys

    await init_db(os.environ["DATABASE_URL"], pool_size=4)
    try:
        shared_hash = await asyncio.to_thread(hash_password, SHOPPER_PASSWORD)
        tag = secrets.token_hex(3)
        for start in range(0, count, 1000):
            await User.bulk_create(
                [
                    User(
                        email=f"crowd{i}-{tag}@flashmart.local",
                        password_hash=shared_hash,
                        role=Role.CUSTOMER,
                    )
                    for i in range(start, min(count, start + 1000))
                ]
            )
        user_ids = sorted(
            await User.filter(email__endswith=f"-{tag}@flashmart.local").values_list(
                "id", flat=True
            )
        )
    finally:
        await close_db()
    keys = Keys(os.environ["REDIS_PREFIX"])
    async with Runtime.open(Settings(), redis_url=redis_url) as runtime:
        deleted = 0
        for start in range(0, len(user_ids), 500):
            batch = [keys.user_tokens_valid_after(uid) for uid in user_ids[start : start + 500]]
            deleted += int(await runtime.redis.delete(*batch))
    return {"user_ids": user_ids, "stamp_keys_deleted": deleted}


async def fresh_sale(
    units: int, redis_url: str, starts_at: datetime, *, waiting_room: bool = False
) -> dict[str, Any]:
    """A product and a flash sale of `units` (perUserLimit 1) starting at `starts_at`, warmed
    into Redis as the sale's warm-up job does before it starts. `waiting_room`: a
    WAITING_ROOM sale whose room opens once warm and whose draw is at the start (lottery
    window 0), the other room settings at their defaults."""
    room: dict[str, Any] = (
        {"admission_mode": AdmissionMode.WAITING_ROOM, "lottery_window_seconds": 0}
        if waiting_room
        else {}
    )
    await init_db(os.environ["DATABASE_URL"], pool_size=2)
    try:
        tag = secrets.token_hex(3)
        product = await Product.create(
            name=f"Bench Crowd {tag}",
            slug=f"bench-crowd-{tag}",
            price=Decimal("999.00"),
            stock=units + 1,
        )
        event = await create_event(
            EventInput(
                product_id=product.id,
                price=Decimal("499.00"),
                total_stock=units,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                per_user_limit=1,
                **room,
            )
        )
        async with Runtime.open(Settings(), redis_url=redis_url) as runtime:
            await warm_up(runtime, event.id)
    finally:
        await close_db()
    return {
        "event_id": event.id,
        "event_gid": encode_id("SeckillEvent", event.id),
        "starts_epoch": starts_at.timestamp(),
    }


async def drain_and_audit(
    redis_url: str,
    event_id: int,
    load_end_epoch: float,
    main_start_epoch: float,
    drain_timeout: float,
) -> dict[str, Any]:
    async with Runtime.open(Settings(), redis_url=redis_url) as runtime:
        await init_db(os.environ["DATABASE_URL"], pool_size=4)
        try:
            deadline = time.monotonic() + drain_timeout
            while True:
                # Jobs due now (seckill orders also schedule their expiry, deferred by minutes).
                now_ms = int(time.time() * 1000)
                queued = int(await runtime.queue.zcount(runtime.keys.queue, "-inf", now_ms))
                pending = await SaleStore.of(runtime).pending_count(event_id)
                if queued == 0 and pending == 0:
                    break
                if time.monotonic() > deadline:
                    raise BenchError(
                        f"queue not drained after {drain_timeout:.0f} s: {queued} queued, "
                        f"{pending} pending"
                    )
                await asyncio.sleep(0.02)
            drained_epoch = time.time()
            report = await audit(runtime, event_id)
            rows = await SeckillTicket.filter(event_id=event_id).values_list(
                "reserved_at", "created_at"
            )
        finally:
            await close_db()
    reserved = sorted(r.timestamp() for r, _ in rows)
    persisted = sorted(c.timestamp() for _, c in rows)
    per_second: list[int] = []
    for moment in persisted:
        second = max(0, int(moment - main_start_epoch))
        while len(per_second) <= second:
            per_second.append(0)
        per_second[second] += 1
    window = (persisted[-1] - reserved[0]) if rows else 0.0
    return {
        "drain_after_load_s": round(max(0.0, drained_epoch - load_end_epoch), 3),
        "last_persisted_after_last_reservation_s": round(persisted[-1] - reserved[-1], 3)
        if rows
        else 0.0,
        "orders_persisted": len(rows),
        # the ledger's time of the last unit reserved (the moment the sale sold out)
        "last_reservation_epoch": reserved[-1] if rows else None,
        "persist_window_s": round(window, 3),
        "orders_per_s": round(len(rows) / window, 1) if window > 0 else 0.0,
        "persisted_per_second": per_second,
        "audit": {
            "passed": report.passed,
            "oversold": report.oversold,
            "undersold": report.undersold,
            "total_stock": report.total_stock,
            "sold": report.sold,
            "remaining": report.remaining,
            "pending": report.pending,
            "orders": report.orders,
            "tickets_succeeded": report.tickets_succeeded,
            "tickets_failed": report.tickets_failed,
            "max_per_user": report.max_per_user,
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in report.checks
            ],
        },
    }


async def naive_check(product_id: int, units: int) -> dict[str, Any]:
    await init_db(os.environ["DATABASE_URL"], pool_size=2)
    try:
        stock = (await Product.get(id=product_id)).stock
        rows = await connections.get("default").execute_query_dict(
            f"SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS users FROM {TABLE} "
            f"WHERE product_id = {int(product_id)}"
        )
    finally:
        await close_db()
    purchases, users = int(rows[0]["n"]), int(rows[0]["users"])
    return {
        "purchases": purchases,
        "distinct_buyers": users,
        "stock_left": stock,
        "consistent": purchases + stock == units and purchases == users,
    }
