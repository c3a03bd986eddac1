"""The buy on real Redis: windows, stock, per-user limits, rate limits, a crowd."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from flashmart.core.errors import ApiError, DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order
from flashmart.seckill.audit import audit
from flashmart.seckill.events import EventInput, update_event, warm_up
from flashmart.seckill.models import SeckillTicket, TicketStatus
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import (
    drain,
    relaxed,
    remaining,
    sale,
    shoppers,
    try_buy,
    warm_sale,
)


async def test_window_edges(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    early = await warm_sale(runtime, 5, starts_in=timedelta(minutes=5))
    assert await try_buy(runtime, user.id, early.id) is ErrorCode.NOT_STARTED
    closing = await warm_sale(
        runtime, 6, starts_in=timedelta(seconds=-5), lasts=timedelta(seconds=5.3)
    )
    await asyncio.sleep(0.4)
    assert await try_buy(runtime, user.id, closing.id) is ErrorCode.ENDED  # by Redis's clock
    late = await sale(6, starts_in=timedelta(hours=-2), lasts=timedelta(hours=1))
    with pytest.raises(DomainFailure) as ended:  # an ended sale cannot even be warmed
        await warm_up(runtime, late.id)
    assert ended.value.errors[0].code is ErrorCode.ENDED
    assert await try_buy(runtime, user.id, late.id) is ErrorCode.NOT_STARTED  # never warm


async def test_sold_out_exactly_at_zero_and_per_user_limits(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(4)
    event = await warm_sale(runtime, 3, per_user_limit=2)
    assert isinstance(await try_buy(runtime, users[0].id, event.id, 2), str)
    assert await try_buy(runtime, users[0].id, event.id) is ErrorCode.ALREADY_PURCHASED
    assert await try_buy(runtime, users[1].id, event.id, 3) is ErrorCode.LIMIT_EXCEEDED
    assert await try_buy(runtime, users[1].id, event.id, 2) is ErrorCode.SOLD_OUT  # 1 left, wants 2
    assert isinstance(await try_buy(runtime, users[1].id, event.id, 1), str)  # the last unit
    assert await try_buy(runtime, users[2].id, event.id) is ErrorCode.SOLD_OUT
    states = await SaleStore.of(runtime).read_states([event.id])
    assert states[event.id].remaining == 0


async def test_rate_limit_is_a_top_level_error_with_retry_after(runtime: Runtime) -> None:
    runtime = relaxed(runtime, seckill_user_rate=1.0, seckill_user_burst=2)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 10, per_user_limit=10)
    await try_buy(runtime, user.id, event.id)
    await try_buy(runtime, user.id, event.id)
    with pytest.raises(ApiError) as limited:
        await try_buy(runtime, user.id, event.id)
    assert limited.value.code.value == "RATE_LIMITED"
    assert limited.value.extra["retryAfter"] >= 1


@pytest.mark.slow
async def test_3000_attempts_by_1000_shoppers_for_100_units(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(1000)
    event = await sale(100)
    await warm_up(runtime, event.id)
    attempts = [u.id for u in users] * 3
    results = await asyncio.gather(*(try_buy(runtime, uid, event.id) for uid in attempts))
    won = [r for r in results if isinstance(r, str)]
    assert len(won) == 100
    refusals = {r for r in results if not isinstance(r, str)}
    assert refusals <= {ErrorCode.SOLD_OUT, ErrorCode.ALREADY_PURCHASED}

    await drain(runtime)
    assert (
        await SeckillTicket.filter(event_id=event.id, status=TicketStatus.SUCCEEDED).count() == 100
    )
    assert await Order.filter(seckill_event_id=event.id).count() == 100
    buyers = await SeckillTicket.filter(event_id=event.id).values_list("user_id", flat=True)
    assert len(set(buyers)) == 100  # nobody has two
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.remaining, report.sold, report.oversold, report.undersold) == (0, 100, 0, 0)


async def test_a_verified_only_sale_reserves_nothing_for_unverified_tokens(
    runtime: Runtime,
) -> None:
    runtime = relaxed(runtime)
    ann, ben = await shoppers(2)
    event = await warm_sale(runtime, 3, verified_only=True)
    sales = SaleStore.of(runtime)
    queued = await runtime.redis.zcard(runtime.keys.queue)
    for _ in range(3):
        assert await try_buy(runtime, ann.id, event.id) is ErrorCode.EMAIL_NOT_VERIFIED
    assert await remaining(runtime, event.id) == 3
    assert await sales.ledger(event.id) == []
    assert await sales.buyers(event.id) == {}
    assert await sales.pending_count(event.id) == 0
    assert await runtime.redis.zcard(runtime.keys.queue) == queued  # no persist job
    assert isinstance(await try_buy(runtime, ben.id, event.id, verified=True), str)
    assert await remaining(runtime, event.id) == 2
    # The window still comes first: an unverified shopper learns when the sale starts.
    early = await warm_sale(runtime, 3, verified_only=True, starts_in=timedelta(minutes=5))
    assert await try_buy(runtime, ann.id, early.id) is ErrorCode.NOT_STARTED


async def test_changing_the_requirement_reaches_a_warm_sale_at_once(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    ann, ben = await shoppers(2)
    event = await warm_sale(runtime, 3)
    await update_event(runtime, event.id, EventInput(requires_verified_account=True))
    assert await try_buy(runtime, ann.id, event.id) is ErrorCode.EMAIL_NOT_VERIFIED
    await update_event(runtime, event.id, EventInput(requires_verified_account=False))
    assert isinstance(await try_buy(runtime, ann.id, event.id), str)
    # Loading a cold sale (after Redis lost it) keeps the requirement too.
    await update_event(runtime, event.id, EventInput(requires_verified_account=True))
    await runtime.redis.delete(runtime.keys.event_meta(event.id))
    await warm_up(runtime, event.id)
    assert await try_buy(runtime, ben.id, event.id) is ErrorCode.EMAIL_NOT_VERIFIED
