"""Checkout and the order lifecycle on real databases, with real concurrency."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from flashmart.accounts.models import User
from flashmart.cart import services as cart
from flashmart.catalog.models import Product
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders import state
from flashmart.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from flashmart.worker import create_worker


async def _product(stock: int, price: str = "10.00", name: str = "Widget") -> Product:
    return await Product.create(
        name=name, slug=name.lower().replace(" ", "-"), price=Decimal(price), stock=stock
    )


async def _shoppers(n: int) -> list[User]:
    await User.bulk_create([User(email=f"s{i}@example.com", password_hash="x") for i in range(n)])
    return await User.all().order_by("id")


async def _fill_cart(user: User, product: Product, quantity: int = 1) -> None:
    await cart.add_item(user_id=user.id, product_id=product.id, quantity=quantity, maximum=99)


async def test_checkout_takes_stock_captures_prices_and_empties_cart(runtime: Runtime) -> None:
    (user,) = await _shoppers(1)
    a, b = await _product(5, "19.99", "Alpha"), await _product(5, "5.01", "Beta")
    await _fill_cart(user, a, 2)
    await _fill_cart(user, b, 3)
    order = await orders.checkout(runtime, user_id=user.id, idempotency_key="k1")
    assert order.status is OrderStatus.PENDING_PAYMENT
    assert order.total == Decimal("55.01")
    assert order.number.startswith("FM") and order.number != str(order.id)
    assert order.expires_at is not None and order.expires_at > datetime.now(UTC)
    assert [(p.stock) for p in await Product.all().order_by("id")] == [3, 2]
    lines = await OrderLine.filter(order=order).order_by("id")
    assert [(line.product_name, line.unit_price, line.quantity) for line in lines] == [
        ("Alpha", Decimal("19.99"), 2),
        ("Beta", Decimal("5.01"), 3),
    ]
    assert (await cart.view_cart(user.id)).items == []
    await Product.filter(id=a.id).update(price=Decimal("99.00"))
    assert (await OrderLine.get(id=lines[0].id)).unit_price == Decimal("19.99")


async def test_short_line_aborts_whole_checkout(runtime: Runtime) -> None:
    (user,) = await _shoppers(1)
    plenty, scarce = await _product(10, name="Plenty"), await _product(1, name="Scarce")
    await _fill_cart(user, plenty, 4)
    await _fill_cart(user, scarce, 2)
    with pytest.raises(DomainFailure) as failure:
        await orders.checkout(runtime, user_id=user.id, idempotency_key="k")
    (error,) = failure.value.errors
    assert error.code is ErrorCode.INSUFFICIENT_STOCK and error.field == ("lines", "1")
    assert [p.stock for p in await Product.all().order_by("id")] == [10, 1]
    assert await Order.all().count() == 0
    assert len((await cart.view_cart(user.id)).items) == 2


async def test_empty_cart_and_bad_keys_write_nothing(runtime: Runtime) -> None:
    (user,) = await _shoppers(1)
    with pytest.raises(DomainFailure) as failure:
        await orders.checkout(runtime, user_id=user.id, idempotency_key="k")
    assert failure.value.errors[0].code is ErrorCode.CART_EMPTY
    for key in ("", "   ", "x" * 65):
        with pytest.raises(DomainFailure):
            await orders.checkout(runtime, user_id=user.id, idempotency_key=key)
    assert await Order.all().count() == 0


async def test_200_concurrent_checkouts_sell_exactly_the_stock(runtime: Runtime) -> None:
    product = await _product(37)
    shoppers = await _shoppers(200)
    for shopper in shoppers:
        await _fill_cart(shopper, product)

    async def attempt(user: User) -> bool:
        try:
            await orders.checkout(runtime, user_id=user.id, idempotency_key=f"buy-{user.id}")
            return True
        except DomainFailure as failure:
            assert failure.errors[0].code is ErrorCode.INSUFFICIENT_STOCK
            return False

    results = await asyncio.gather(*(attempt(u) for u in shoppers))
    assert sum(results) == 37
    assert await Order.all().count() == 37
    assert (await Product.get(id=product.id)).stock == 0
    assert sum(line.quantity for line in await OrderLine.all()) == 37


async def test_same_key_twenty_times_concurrently_is_one_order(runtime: Runtime) -> None:
    (user,) = await _shoppers(1)
    product = await _product(50)
    await _fill_cart(user, product, 2)
    placed = await asyncio.gather(
        *(orders.checkout(runtime, user_id=user.id, idempotency_key="once") for _ in range(20))
    )
    assert {o.id for o in placed} == {placed[0].id}
    assert await Order.all().count() == 1
    assert (await Product.get(id=product.id)).stock == 48


async def test_state_machine_refuses_illegal_moves(runtime: Runtime) -> None:
    (user,) = await _shoppers(1)
    product = await _product(5)
    await _fill_cart(user, product)
    order = await orders.checkout(runtime, user_id=user.id, idempotency_key="k")
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
    (user,) = await _shoppers(1)
    product = await _product(5)
    await _fill_cart(user, product, 2)
    order = await orders.checkout(runtime, user_id=user.id, idempotency_key="k")
    await orders.mark_paid(runtime, order_id=order.id)
    refunded = await orders.refund_order(runtime, admin_id=user.id, order_id=order.id)
    assert refunded.status is OrderStatus.REFUNDED
    assert (await Product.get(id=product.id)).stock == 5


async def test_cancel_and_expire_racing_return_stock_once(runtime: Runtime) -> None:
    shoppers = await _shoppers(30)
    product = await _product(30)
    placed = []
    for user in shoppers:
        await _fill_cart(user, product)
        placed.append(await orders.checkout(runtime, user_id=user.id, idempotency_key="k"))
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
    unpaid_user, paid_user = await _shoppers(2)
    product = await _product(10)
    await _fill_cart(unpaid_user, product, 3)
    await _fill_cart(paid_user, product, 2)
    unpaid = await orders.checkout(runtime, user_id=unpaid_user.id, idempotency_key="a")
    paid = await orders.checkout(runtime, user_id=paid_user.id, idempotency_key="b")
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
    (user,) = await _shoppers(1)
    product = await _product(3)
    await _fill_cart(user, product, 3)
    order = await orders.checkout(runtime, user_id=user.id, idempotency_key="k")
    await runtime.redis.delete(
        f"arq:job:{orders.expiry_job_id(runtime, order.id)}"
    )  # the deferred job is lost
    await Order.filter(id=order.id).update(expires_at=datetime.now(UTC) - timedelta(seconds=5))
    assert await orders.expire_overdue(runtime) == 1
    assert (await Product.get(id=product.id)).stock == 3
    assert await orders.expire_overdue(runtime) == 0
