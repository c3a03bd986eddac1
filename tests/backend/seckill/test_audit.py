"""Live figures for the control room."""

from __future__ import annotations

import asyncio

import pytest

from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.seckill.audit import MAX_STATS_SECONDS, audit, live_stats
from flashmart.seckill.events import warm_up
from flashmart.seckill.persist import settle, write
from flashmart.seckill.store import SaleStore
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
