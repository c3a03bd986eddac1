"""Checkout on real databases: stock taken atomically, nothing oversold, one order per key."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from flashmart.accounts.models import User
from flashmart.cart import services as cart
from flashmart.catalog.models import Product
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders.checkout import checkout
from flashmart.orders.models import Order, OrderLine, OrderStatus
from tests.backend.orders.factories import fill_cart, make_product, make_shoppers


async def test_checkout_takes_stock_captures_prices_and_empties_cart(runtime: Runtime) -> None:
    (user,) = await make_shoppers(1)
    a, b = await make_product(5, "19.99", "Alpha"), await make_product(5, "5.01", "Beta")
    await fill_cart(user, a, 2)
    await fill_cart(user, b, 3)
    order = await checkout(runtime, user_id=user.id, idempotency_key="k1")
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
    (user,) = await make_shoppers(1)
    plenty, scarce = await make_product(10, name="Plenty"), await make_product(1, name="Scarce")
    await fill_cart(user, plenty, 4)
    await fill_cart(user, scarce, 2)
    with pytest.raises(DomainFailure) as failure:
        await checkout(runtime, user_id=user.id, idempotency_key="k")
    (error,) = failure.value.errors
    assert error.code is ErrorCode.INSUFFICIENT_STOCK and error.field == ("lines", "1")
    assert [p.stock for p in await Product.all().order_by("id")] == [10, 1]
    assert await Order.all().count() == 0
    assert len((await cart.view_cart(user.id)).items) == 2


async def test_empty_cart_and_bad_keys_write_nothing(runtime: Runtime) -> None:
    (user,) = await make_shoppers(1)
    with pytest.raises(DomainFailure) as failure:
        await checkout(runtime, user_id=user.id, idempotency_key="k")
    assert failure.value.errors[0].code is ErrorCode.CART_EMPTY
    for key in ("", "   ", "x" * 65):
        with pytest.raises(DomainFailure):
            await checkout(runtime, user_id=user.id, idempotency_key=key)
    assert await Order.all().count() == 0


async def test_200_concurrent_checkouts_sell_exactly_the_stock(runtime: Runtime) -> None:
    product = await make_product(37)
    shoppers = await make_shoppers(200)
    for shopper in shoppers:
        await fill_cart(shopper, product)

    async def attempt(user: User) -> bool:
        try:
            await checkout(runtime, user_id=user.id, idempotency_key=f"buy-{user.id}")
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
    (user,) = await make_shoppers(1)
    product = await make_product(50)
    await fill_cart(user, product, 2)
    placed = await asyncio.gather(
        *(checkout(runtime, user_id=user.id, idempotency_key="once") for _ in range(20))
    )
    assert {o.id for o in placed} == {placed[0].id}
    assert await Order.all().count() == 1
    assert (await Product.get(id=product.id)).stock == 48
