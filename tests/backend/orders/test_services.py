"""Checkout and the order lifecycle on real databases, with real concurrency."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from flashmart.catalog.models import Product
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders import state
from flashmart.orders.checkout import checkout
from flashmart.orders.models import Order, OrderEvent, OrderStatus
from flashmart.worker import create_worker
from tests.backend.orders.factories import fill_cart, make_product, make_shoppers


async def test_state_machine_refuses_illegal_moves(runtime: Runtime) -> None:
    (user,) = await make_shoppers(1)
    product = await make_product(5)
    await fill_cart(user, product)
    order = await checkout(runtime, user_id=user.id, idempotency_key="k")
    with pytest.raises(DomainFailure) as failure:
        await orders.admin_set_status(
            runtime, admin_id=user.id, order_id=order.id, target=OrderStatus.SHIPPED
        )
    assert failure.value.errors[0].code is ErrorCode.INVALID_STATE
    await orders.mark_paid(runtime, order_id=order.id)
    for target in (
        OrderStatus.CANCELLED,
        OrderStatus.EXPIRED,
        OrderStatus.PAID,
        OrderStatus.COMPLETED,
    ):
        with pytest.raises(DomainFailure):
            await orders.change_status(runtime, order_id=order.id, target=target, actor_id=None)
    await orders.admin_set_status(
        runtime, admin_id=user.id, order_id=order.id, target=OrderStatus.SHIPPED
    )
    await orders.admin_set_status(
        runtime, admin_id=user.id, order_id=order.id, target=OrderStatus.COMPLETED
    )
    history = [
        (e.from_status, e.to_status)
        for e in await OrderEvent.filter(order_id=order.id).order_by("id")
    ]
    assert history == [
        (None, OrderStatus.PENDING_PAYMENT),
        (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID),
        (OrderStatus.PAID, OrderStatus.SHIPPED),
        (OrderStatus.SHIPPED, OrderStatus.COMPLETED),
    ]
    assert (await Product.get(id=product.id)).stock == 4


def test_admin_actions_follow_the_one_table() -> None:
    allowed = {status: state.admin_next_statuses(status) for status in OrderStatus}
    assert allowed == {
        OrderStatus.PENDING_PAYMENT: [OrderStatus.CANCELLED],
        OrderStatus.PAID: [OrderStatus.SHIPPED, OrderStatus.REFUNDED],
        OrderStatus.SHIPPED: [OrderStatus.COMPLETED],
        OrderStatus.COMPLETED: [],
        OrderStatus.CANCELLED: [],
        OrderStatus.EXPIRED: [],
        OrderStatus.REFUNDED: [],
    }
    for source, targets in allowed.items():  # never more than the table allows
        assert set(targets) <= set(state.next_statuses(source))


async def test_refund_of_a_paid_order_returns_its_units(runtime: Runtime) -> None:
    (user,) = await make_shoppers(1)
    product = await make_product(5)
    await fill_cart(user, product, 2)
    order = await checkout(runtime, user_id=user.id, idempotency_key="k")
    await orders.mark_paid(runtime, order_id=order.id)
    refunded = await orders.refund_order(runtime, admin_id=user.id, order_id=order.id)
    assert refunded.status is OrderStatus.REFUNDED
    assert (await Product.get(id=product.id)).stock == 5


async def test_cancel_and_expire_racing_return_stock_once(runtime: Runtime) -> None:
    shoppers = await make_shoppers(30)
    product = await make_product(30)
    placed = []
    for user in shoppers:
        await fill_cart(user, product)
        placed.append(await checkout(runtime, user_id=user.id, idempotency_key="k"))
    await Order.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))

    async def cancel(order: Order) -> None:
        try:
            await orders.cancel_order(runtime, user_id=order.user_id, order_id=order.id)  # type: ignore[attr-defined]
        except DomainFailure as failure:
            assert failure.errors[0].code is ErrorCode.INVALID_STATE

    await asyncio.gather(
        *(cancel(o) for o in placed), *(orders.expire_order(runtime, o.id) for o in placed)
    )
    assert (await Product.get(id=product.id)).stock == 30
    statuses = {o.status for o in await Order.all()}
    assert statuses <= {OrderStatus.CANCELLED, OrderStatus.EXPIRED}
    assert (
        await OrderEvent.filter(to_status__in=[OrderStatus.CANCELLED, OrderStatus.EXPIRED]).count()
        == 30
    )


async def test_a_real_worker_expires_unpaid_orders_once(runtime: Runtime) -> None:
    settings = runtime.settings.model_copy(update={"order_payment_timeout_seconds": 1})
    runtime = dataclasses.replace(runtime, settings=settings)
    unpaid_user, paid_user = await make_shoppers(2)
    product = await make_product(10)
    await fill_cart(unpaid_user, product, 3)
    await fill_cart(paid_user, product, 2)
    unpaid = await checkout(runtime, user_id=unpaid_user.id, idempotency_key="a")
    paid = await checkout(runtime, user_id=paid_user.id, idempotency_key="b")
    await orders.mark_paid(runtime, order_id=paid.id)
    assert (await Product.get(id=product.id)).stock == 5
    await asyncio.sleep(1.2)  # both deferred expiry jobs are now due

    worker = create_worker(settings, settings.redis_url or "", burst=True, manage_database=False)
    worker.handle_signals = False
    await asyncio.wait_for(worker.async_run(), timeout=30)
    await worker.close()

    assert (await Order.get(id=unpaid.id)).status is OrderStatus.EXPIRED
    assert (await Order.get(id=paid.id)).status is OrderStatus.PAID
    assert (await Product.get(id=product.id)).stock == 8
    # The sweep and a second run of the job change nothing more.
    assert await orders.expire_overdue(runtime) == 0
    assert await orders.expire_order(runtime, unpaid.id) is False
    assert (await Product.get(id=product.id)).stock == 8


async def test_sweep_expires_orders_whose_job_was_lost(runtime: Runtime) -> None:
    (user,) = await make_shoppers(1)
    product = await make_product(3)
    await fill_cart(user, product, 3)
    order = await checkout(runtime, user_id=user.id, idempotency_key="k")
    await runtime.redis.delete(
        f"arq:job:{orders.expiry_job_id(runtime, order.id)}"
    )  # the deferred job is lost
    await Order.filter(id=order.id).update(expires_at=datetime.now(UTC) - timedelta(seconds=5))
    assert await orders.expire_overdue(runtime) == 1
    assert (await Product.get(id=product.id)).stock == 3
    assert await orders.expire_overdue(runtime) == 0
