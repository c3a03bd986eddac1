"""Building blocks for flash-sale tests: shoppers, a product, a sale, a real worker run."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from arq import Worker
from arq.jobs import Job, JobStatus

from flashmart.accounts.models import User
from flashmart.catalog.models import Product
from flashmart.core import embedded_redis
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.queue import deserialize_job
from flashmart.core.runtime import Runtime
from flashmart.seckill.buy import buy
from flashmart.seckill.events import EventInput, create_event, warm_up
from flashmart.seckill.models import SeckillEvent
from flashmart.seckill.store import SaleStore
from flashmart.worker import create_worker


def relaxed(runtime: Runtime, **overrides: object) -> Runtime:
    """The same clients with other settings (rate limits out of the way unless asked for)."""
    values: dict[str, object] = {
        "seckill_user_rate": 1000.0,
        "seckill_user_burst": 1000,
        "seckill_ip_rate": 1_000_000.0,
        "seckill_ip_burst": 1_000_000,
        "seckill_room_joins_per_ip_minute": 1_000_000,
        **overrides,
    }
    settings = runtime.settings.model_copy(update=values)
    return dataclasses.replace(runtime, settings=settings)


async def shoppers(n: int) -> list[User]:
    await User.bulk_create(
        [User(email=f"buyer{i}@example.com", password_hash="x") for i in range(n)]
    )
    return list(await User.all().order_by("id"))


async def sale(
    units: int,
    *,
    per_user_limit: int = 1,
    starts_in: timedelta = timedelta(minutes=-1),
    lasts: timedelta = timedelta(hours=1),
    product_stock: int | None = None,
    verified_only: bool = False,
    **room: Any,
) -> SeckillEvent:
    """A sale (`room`: the waiting room's `EventInput` fields, e.g. admission_mode)."""
    product = await Product.create(
        name=f"Sale item {units}",
        slug=f"sale-item-{units}-{datetime.now(UTC).timestamp()}",
        price=Decimal("99.00"),
        stock=units + 10 if product_stock is None else product_stock,
    )
    starts = datetime.now(UTC) + starts_in
    return await create_event(
        EventInput(
            product_id=product.id,
            price=Decimal("9.90"),
            total_stock=units,
            starts_at=starts,
            ends_at=starts + lasts,
            per_user_limit=per_user_limit,
            requires_verified_account=verified_only,
            **room,
        )
    )


async def warm_sale(runtime: Runtime, units: int, **options: Any) -> SeckillEvent:
    """`sale(...)` loaded into Redis, as an administrator or the warm-up cron does (a shopper's
    buy never warms a sale)."""
    event = await sale(units, **options)
    await warm_up(runtime, event.id)
    return event


async def drain(runtime: Runtime) -> int:
    """Run a real arq worker until every job due now has run; returns jobs done.

    Not burst mode: persisted orders enqueue expiry jobs deferred by minutes, and a burst
    worker only stops once the queue is empty."""
    queue = runtime.keys.queue
    worker = create_worker(
        runtime.settings, runtime.settings.redis_url or "", manage_database=False
    )
    worker.handle_signals = False
    task = asyncio.create_task(worker.async_run())
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            due = await runtime.queue.zcount(queue, "-inf", int(time.time() * 1000))
            if due == 0 and worker.job_counter == 0:
                break
        else:
            raise TimeoutError("the worker did not drain the queue")
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await worker.close()
    assert worker.jobs_failed == 0
    return worker.jobs_complete


@contextlib.asynccontextmanager
async def running_worker(runtime: Runtime) -> AsyncIterator[Worker]:
    """A real arq worker (the project's options, not burst) running until the block ends."""
    worker = create_worker(
        runtime.settings, runtime.settings.redis_url or "", manage_database=False
    )
    worker.handle_signals = False
    task = asyncio.create_task(worker.async_run())
    try:
        yield worker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await worker.close()


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition did not hold in time")
        await asyncio.sleep(0.05)


async def job_result(runtime: Runtime, job_id: str) -> Any:
    """What a finished job returned (None while it has not finished, or never ran)."""
    job = Job(job_id, runtime.queue, _queue_name=runtime.keys.queue, _deserializer=deserialize_job)
    info = await job.result_info()
    return None if info is None else info.result


async def job_done(runtime: Runtime, job_id: str) -> bool:
    """The job finished, or left the queue without running (a batch that wrote its ticket
    drops it): it is neither queued, deferred nor running."""
    job = Job(job_id, runtime.queue, _queue_name=runtime.keys.queue, _deserializer=deserialize_job)
    return await job.status() in (JobStatus.complete, JobStatus.not_found)


@contextlib.asynccontextmanager
async def own_redis_runtime(runtime: Runtime, tmp_path: Path) -> AsyncIterator[Runtime]:
    """`relaxed(runtime)` on an embedded Redis of the test's own (one it may SCRIPT FLUSH)."""
    server = embedded_redis.start(tmp_path, reuse=False)
    try:
        async with Runtime.open(runtime.settings, redis_url=server.url) as own:
            yield relaxed(own)
    finally:
        server.stop()


async def try_buy(
    runtime: Runtime, user_id: int, event_id: int, quantity: int = 1, *, verified: bool = False
) -> ErrorCode | str:
    """One buy (`verified`: the shopper's token says the email is verified): the ticket id, or
    the refusal's code."""
    try:
        ticket = await buy(
            runtime, user_id=user_id, event_id=event_id, quantity=quantity, client_ip="10.0.0.1",
            email_verified=verified,
        )  # fmt: skip
    except DomainFailure as failure:
        return failure.errors[0].code
    return ticket.id


async def remaining(runtime: Runtime, event_id: int) -> int:
    """Units left in Redis."""
    return (await SaleStore.of(runtime).read_states([event_id]))[event_id].remaining
