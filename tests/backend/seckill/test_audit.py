"""Live figures for the control room."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from flashmart.core import metrics
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.seckill.audit import MAX_STATS_SECONDS, audit, audit_ended, live_stats
from flashmart.seckill.events import warm_up
from flashmart.seckill.models import SeckillEvent
from flashmart.seckill.persist import settle, write
from flashmart.seckill.store import SaleStore
from flashmart.worker import worker_options
from tests.backend.seckill.factories import (
    drain,
    relaxed,
    sale,
    shoppers,
    try_buy,
)


async def test_live_stats_count_attempts_and_tickets(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(3)
    event = await sale(2)
    await warm_up(runtime, event.id)
    for user in users:  # two reservations, one refusal (sold out): three attempts
        await try_buy(runtime, user.id, event.id)
    queued = await live_stats(runtime, event.id, seconds=5)
    assert (queued.tickets_queued, queued.tickets_succeeded, queued.tickets_failed) == (2, 0, 0)
    assert len(queued.attempts) == 5
    await asyncio.sleep(1.05)  # the attempts' second is now a whole second in the past
    minute = (await live_stats(runtime, event.id)).attempts
    seconds = [second for second, _ in minute]
    assert len(seconds) == 60 and seconds == list(range(seconds[0], seconds[0] + 60))
    assert sum(n for _, n in minute) == 3

    await drain(runtime)
    done = await live_stats(runtime, event.id, seconds=10_000)
    assert (done.tickets_queued, done.tickets_succeeded, done.tickets_failed) == (0, 2, 0)
    assert len(done.attempts) == MAX_STATS_SECONDS
    with pytest.raises(DomainFailure) as missing:
        await live_stats(runtime, 999_999)
    assert missing.value.errors[0].code is ErrorCode.NOT_FOUND


async def test_an_order_committed_before_its_ledger_settles_counts_once(runtime: Runtime) -> None:
    """Redis gone between the worker's commit and its settle: the entry still reads reserved,
    the order exists. The audit counts the unit as sold, not also as in flight; after the
    job's retry settles it, nothing changes."""
    runtime = relaxed(runtime)
    users = await shoppers(2)
    event = await sale(3)
    await warm_up(runtime, event.id)
    for user in users:
        await try_buy(runtime, user.id, event.id)
    sales = SaleStore.of(runtime)
    entries = [e for e in await sales.ledger(event.id) if e.state == "reserved"]
    done = await write(runtime, event.id, entries[:1])  # committed; the settle never ran
    between = await audit(runtime, event.id)
    assert (between.sold, between.pending, between.remaining) == (1, 1, 1)
    assert between.passed, between.checks
    assert "1 sold awaiting their ledger settle" in between.checks[0].detail

    await settle(runtime, event.id, done, own_ticket=None)
    after = await audit(runtime, event.id)
    assert (after.sold, after.pending, after.remaining) == (1, 1, 1)
    assert after.passed, after.checks
    assert "awaiting" not in after.checks[0].detail


def _failing(check: str) -> float | None:
    return REGISTRY.get_sample_value("flashmart_seckill_audit_failing_sales", {"check": check})


async def test_the_workers_audit_reports_an_ended_sale_whose_redis_and_database_disagree(
    runtime: Runtime, settings: Settings
) -> None:
    """The cron's audit pass (real Redis, real database): every ended sale with nothing in
    flight is audited; breaking one sale's Redis stock moves the `stock` gauge to 1, and
    putting it right brings it back to 0. Sales in flight or still on are left alone."""
    runtime = relaxed(runtime)
    users = await shoppers(2)
    healthy, broken, in_flight, running = [await sale(3) for _ in range(4)]
    for event in (healthy, broken, in_flight, running):
        await warm_up(runtime, event.id)
        assert isinstance(await try_buy(runtime, users[0].id, event.id), str)
    await drain(runtime)
    assert isinstance(await try_buy(runtime, users[1].id, in_flight.id), str)  # not persisted
    ended = [healthy.id, broken.id, in_flight.id]
    await SeckillEvent.filter(id__in=ended).update(ends_at=datetime.now(UTC) - timedelta(seconds=1))

    checks = {check.key for check in (await audit(runtime, healthy.id)).checks}
    room_checks = {"room_grant", "room_grant_reuse", "room_draw"}  # waiting-room sales only
    assert checks == set(metrics.AUDIT_CHECKS) - {"error"} - room_checks  # label values
    assert await audit_ended(runtime) == dict.fromkeys(metrics.AUDIT_CHECKS, 0)
    assert REGISTRY.get_sample_value("flashmart_seckill_audited_sales") == 2
    assert [_failing(check) for check in metrics.AUDIT_CHECKS] == [0] * len(metrics.AUDIT_CHECKS)

    stock = runtime.keys.event_stock(broken.id)
    await runtime.redis.set(stock, 5)  # Redis: 5 left of 3, one of them sold in the database
    failing = await audit_ended(runtime)
    assert failing == dict.fromkeys(metrics.AUDIT_CHECKS, 0) | {"stock": 1}
    assert _failing("stock") == 1 and _failing("orders") == 0
    await SeckillEvent.filter(id=healthy.id).update(sold=2)  # and the database's counter
    assert (await audit_ended(runtime))["sold_counter"] == 1
    assert _failing("sold_counter") == 1

    await runtime.redis.set(stock, 2)
    await SeckillEvent.filter(id=healthy.id).update(sold=1)
    assert await audit_ended(runtime) == dict.fromkeys(metrics.AUDIT_CHECKS, 0)
    assert _failing("stock") == 0 and _failing("sold_counter") == 0


def test_the_worker_runs_the_audit_as_a_cron(settings: Settings) -> None:
    cron_names = [job.name for job in worker_options(settings, "redis://x")["cron_jobs"]]
    assert "cron:audit_ended_sales" in cron_names
