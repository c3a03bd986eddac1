"""Units of cancelled, expired or refunded flash-sale orders go back to the sale."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from flashmart.catalog.models import Product
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderStatus
from flashmart.seckill.audit import audit
from flashmart.seckill.models import SeckillEvent
from flashmart.seckill.reconcile import close_if_done
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import (
    drain,
    relaxed,
    shoppers,
    try_buy,
    warm_sale,
)


async def test_expiry_returns_the_unit_for_another_shopper(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    first, second = await shoppers(2)
    event = await warm_sale(runtime, 1)
    await try_buy(runtime, first.id, event.id)
    await drain(runtime)
    assert await try_buy(runtime, second.id, event.id) is ErrorCode.SOLD_OUT
    order = await Order.get(seckill_event_id=event.id)
    await Order.filter(id=order.id).update(expires_at=order.created_at - timedelta(seconds=1))
    assert await orders.expire_order(runtime, order.id)
    assert await orders.expire_order(runtime, order.id) is False  # exactly once
    states = await SaleStore.of(runtime).read_states([event.id])
    assert states[event.id].remaining == 1 and not states[event.id].sold_out
    assert isinstance(await try_buy(runtime, second.id, event.id), str)
    await drain(runtime)
    report = await audit(runtime, event.id)
    assert report.passed and report.sold == 1 and report.remaining == 0


async def test_payment_racing_expiry_settles_once(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(20)
    event = await warm_sale(runtime, 20)
    for user in users:
        await try_buy(runtime, user.id, event.id)
    await drain(runtime)
    placed = await Order.filter(seckill_event_id=event.id)
    await Order.filter(seckill_event_id=event.id).update(
        expires_at=placed[0].created_at - timedelta(seconds=1)
    )

    async def pay(order_id: int) -> None:
        try:
            await orders.mark_paid(runtime, order_id=order_id)
        except DomainFailure as failure:
            assert failure.errors[0].code is ErrorCode.INVALID_STATE

    await asyncio.gather(
        *(pay(o.id) for o in placed), *(orders.expire_order(runtime, o.id) for o in placed)
    )
    statuses = [o.status for o in await Order.filter(seckill_event_id=event.id)]
    paid = statuses.count(OrderStatus.PAID)
    assert paid + statuses.count(OrderStatus.EXPIRED) == 20
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert report.sold == paid and report.remaining == 20 - paid


async def test_cancels_racing_the_close_lose_no_unit(runtime: Runtime) -> None:
    """Cancellations and the close of an ended sale run concurrently (many tasks over the
    database pool, the closes at a different place among the cancels each round): every unit
    ends in the product's stock exactly once."""
    runtime = relaxed(runtime)
    users = await shoppers(12)
    for round_ in range(6):
        event = await warm_sale(runtime, 12, product_stock=12)  # the product keeps 0 of its own
        for user in users:
            await try_buy(runtime, user.id, event.id)
        await drain(runtime)
        placed = await Order.filter(seckill_event_id=event.id).order_by("id")
        assert len(placed) == 12
        await SeckillEvent.filter(id=event.id).update(ends_at=datetime.now(UTC))

        async def cancel(order: Order) -> None:
            await orders.cancel_order(runtime, user_id=order.user_id, order_id=order.id)  # type: ignore[attr-defined]

        cancels = [cancel(o) for o in placed]
        at = 2 * round_
        closes = [close_if_done(runtime, event.id) for _ in range(3)]
        results = await asyncio.gather(*cancels[:at], *closes, *cancels[at:])
        assert sum(r is True for r in results) == 1  # one close won
        closed = await SeckillEvent.get(id=event.id)
        assert closed.closed_at is not None and closed.sold == 0
        product = await Product.get(id=event.product_id)  # type: ignore[attr-defined]
        assert product.stock == 12, f"round {round_}: {product.stock} of 12 units back"
