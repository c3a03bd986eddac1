"""Worker and PostgreSQL CPU per persisted flash-sale order, by SECKILL_PERSIST_BATCH.

    .venv/bin/python bench/persist_cpu.py                       # 500 orders, batch 1 and 50
    .venv/bin/python bench/persist_cpu.py --units 300 --batch 1 10 50 --sqlite

For each batch size: a scratch database (PostgreSQL, dropped at the end; or a SQLite file),
N shoppers reserve N units through `seckill.buy.buy`, then a real arq worker in this
process drains the queue. Measured from the worker's start until every persist job has
finished (also the ones a claim sent back for later): this process's CPU
(`time.process_time`) and the CPU of the PostgreSQL backends serving the scratch database
(from /proc), each per order. Not part of `make bench`; takes a few seconds per size.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg

from flashmart.accounts.models import User
from flashmart.catalog.models import Product
from flashmart.core.db import close_db, init_db
from flashmart.core.migrations import migrate
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.seckill.audit import audit
from flashmart.seckill.buy import buy
from flashmart.seckill.events import EventInput, create_event, warm_up
from flashmart.seckill.store import SaleStore
from flashmart.worker import create_worker

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _backend_ticks(pids: set[int]) -> dict[int, int]:
    ticks: dict[int, int] = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


async def _backends(admin_url: str, name: str) -> set[int]:
    conn = await asyncpg.connect(admin_url)
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", name)
    finally:
        await conn.close()
    return {int(r["pid"]) for r in rows}


async def _admin(admin_url: str, sql: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def measure(args: argparse.Namespace, batch: int, tmp: Path) -> dict[str, float]:
    name = f"fmcpu_{secrets.token_hex(4)}"
    if args.sqlite:
        database_url = f"sqlite://{tmp / f'{name}.sqlite3'}"
    else:
        await _admin(f"{args.postgres}/postgres", f'CREATE DATABASE "{name}"')
        database_url = f"{args.postgres}/{name}"
    prefix = f"fmcpu:{uuid.uuid4().hex[:8]}:"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        redis_url=args.redis,
        redis_prefix=prefix,
        data_dir=tmp / "data",
        log_level="WARNING",
        seckill_persist_batch=batch,
        seckill_user_rate=1000.0,
        seckill_user_burst=1000,
        seckill_ip_rate=1_000_000.0,
        seckill_ip_burst=1_000_000,
    )
    async with Runtime.open(settings) as runtime:
        try:
            await migrate(database_url)
            await init_db(database_url, pool_size=settings.database_pool_size)
            units = args.units
            await User.bulk_create(
                [User(email=f"cpu{i}@example.com", password_hash="x") for i in range(units)]
            )
            user_ids = [u.id for u in await User.all().order_by("id")]
            product = await Product.create(
                name="CPU item", slug=f"cpu-{name}", price=Decimal("99.00"), stock=units
            )
            starts = datetime.now(UTC) - timedelta(minutes=1)
            event = await create_event(
                EventInput(
                    product_id=product.id, price=Decimal("9.90"), total_stock=units,
                    starts_at=starts, ends_at=starts + timedelta(hours=1), per_user_limit=1,
                )
            )  # fmt: skip
            await warm_up(runtime, event.id)
            await asyncio.gather(
                *(
                    buy(runtime, user_id=u, event_id=event.id, quantity=1, client_ip="x")
                    for u in user_ids
                )
            )
            pids = set() if args.sqlite else await _backends(f"{args.postgres}/postgres", name)
            before = _backend_ticks(pids)
            worker = create_worker(settings, args.redis, manage_database=False)
            worker.handle_signals = False
            cpu0, wall0 = time.process_time(), time.monotonic()
            task = asyncio.create_task(worker.async_run())
            drained_cpu = drained_wall = 0.0
            try:
                while time.monotonic() - wall0 < 120:
                    await asyncio.sleep(0.05)
                    pending = await SaleStore.of(runtime).pending_count(event.id)
                    if pending == 0 and not drained_wall:
                        drained_cpu, drained_wall = time.process_time(), time.monotonic()
                    # Done when no job is due: the new orders' expiry jobs (and any other job
                    # scheduled for later) wait in the queue.
                    now_ms = int(time.time() * 1000)
                    queued = int(await runtime.queue.zcount(runtime.keys.queue, "-inf", now_ms))
                    if pending == 0 and queued == 0 and worker.job_counter == 0:
                        break
                else:
                    raise TimeoutError(
                        f"the worker did not finish: {pending} pending, {queued} jobs due"
                    )
                cpu1, wall1 = time.process_time(), time.monotonic()
                if not args.sqlite:
                    pids |= await _backends(f"{args.postgres}/postgres", name)
                after = _backend_ticks(pids)
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                await worker.close()
            report = await audit(runtime, event.id)
            if not report.passed or report.sold != units:
                raise RuntimeError(f"audit failed: {report.checks}")
            pg_ms = sum(after[p] - before.get(p, 0) for p in after) * 1000 / CLK_TCK
            return {
                "batch": batch,
                "orders": units,
                "worker_ms_per_order": (cpu1 - cpu0) * 1000 / units,
                "worker_ms_per_order_at_drained": (drained_cpu - cpu0) * 1000 / units,
                "postgres_ms_per_order": pg_ms / units,
                "drained_s": drained_wall - wall0,
                "job_runs": worker.jobs_complete + worker.jobs_retried + worker.jobs_failed,
                "jobs_retried": worker.jobs_retried,
                "jobs_failed": worker.jobs_failed,
                "all_done_s": wall1 - wall0,
            }
        finally:
            keys = [k async for k in runtime.redis.scan_iter(match=f"{prefix}*", count=1000)]
            if keys:
                await runtime.redis.delete(*keys)
            await close_db()
            if not args.sqlite:
                await _admin(
                    f"{args.postgres}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                )


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for batch in args.batch:
            row = await measure(args, batch, Path(tmp))
            print(
                f"batch {row['batch']:>4}: {row['orders']} orders, "
                f"worker {row['worker_ms_per_order']:.2f} ms CPU/order "
                f"({row['worker_ms_per_order_at_drained']:.2f} until every order was written), "
                + (
                    "SQLite runs in this process; "
                    if args.sqlite
                    else f"PostgreSQL {row['postgres_ms_per_order']:.2f} ms/order; "
                )
                + f"written in {row['drained_s']:.2f} s, {row['job_runs']} job runs "
                f"({row['jobs_retried']} sent back by a claim), all jobs done in "
                f"{row['all_done_s']:.1f} s",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
