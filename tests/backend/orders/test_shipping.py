"""Checkout with an address, the review, buy now, the pay step's address and shipping, on real
databases and Redis."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from prometheus_client import REGISTRY

from flashmart.addresses import services as addresses
from flashmart.addresses.services import Destination
from flashmart.catalog.models import Product
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services, shipping
from flashmart.orders.checkout import buy_now, checkout, review
from flashmart.orders.events import ORDER_TOPIC
from flashmart.orders.models import Order, OrderEvent, OrderStatus
from flashmart.payments import services as payments
from flashmart.payments.models import Payment
from tests.backend.addresses.factories import HOME, SHIP_HOME
from tests.backend.orders.factories import fill_cart, make_product, make_shoppers


def _checkouts(outcome: str) -> float:
    return REGISTRY.get_sample_value("flashmart_checkouts_total", {"outcome": outcome}) or 0.0


def _with_fee(runtime: Runtime, fee: str = "8.00", free_over: str = "99.00") -> Runtime:
    settings = runtime.settings.model_copy(
        update={"shipping_fee": Decimal(fee), "free_shipping_over": Decimal(free_over)}
    )
    return replace(runtime, settings=settings)


async def _fails_with(code: ErrorCode, awaitable: object) -> list[str] | None:
    with pytest.raises(DomainFailure) as refused:
        await awaitable  # type: ignore[misc]
    error = refused.value.errors[0]
    assert error.code is code, refused.value.errors
    return list(error.field) if error.field else None


@pytest.mark.parametrize(
    ("price", "quantity", "fee"),
    [("10.00", 2, "8.00"), ("33.00", 3, "0.00"), ("98.99", 1, "8.00"), ("99.00", 1, "0.00")],
)
async def test_the_review_and_the_order_charge_the_same_shipping(
    runtime: Runtime, price: str, quantity: int, fee: str
) -> None:
    shop = _with_fee(runtime)
    (user,) = await make_shoppers(1)
    product = await make_product(10, price)
    await fill_cart(user, product, quantity)
    seen = await review(shop, user_id=user.id)
    subtotal = Decimal(price) * quantity
    assert (seen.subtotal, seen.shipping, seen.total) == (
        subtotal,
        Decimal(fee),
        subtotal + Decimal(fee),
    )
    order = await checkout(shop, user_id=user.id, idempotency_key="k", destination=SHIP_HOME)
    assert (order.shipping_fee, order.total) == (Decimal(fee), seen.total)


async def test_shipping_is_never_free_with_a_zero_threshold(runtime: Runtime) -> None:
    shop = _with_fee(runtime, fee="12.50", free_over="0")
    assert shipping.shipping_fee(shop.settings, Decimal("10000.00")) == Decimal("12.50")


async def test_the_order_keeps_a_copy_of_the_address(runtime: Runtime) -> None:
    (user,) = await make_shoppers(1)
    await fill_cart(user, await make_product(5))
    saved = await addresses.create_address(
        user_id=user.id, data=HOME, address_format="CN", maximum=20
    )
    order = await checkout(
        runtime, user_id=user.id, idempotency_key="k", destination=Destination(address_id=saved.id)
    )
    await addresses.update_address(
        user_id=user.id,
        address_id=saved.id,
        data=replace(HOME, street="99 Elsewhere"),
        address_format="CN",
    )
    await addresses.delete_address(user_id=user.id, address_id=saved.id)
    kept = await Order.get(id=order.id)
    assert kept.shipping_address == HOME.snapshot()


async def test_checkout_refuses_bad_addresses_and_changes_nothing(runtime: Runtime) -> None:
    owner, other = await make_shoppers(2)
    theirs = await addresses.create_address(
        user_id=other.id, data=HOME, address_format="CN", maximum=20
    )
    product = await make_product(5)
    await fill_cart(owner, product, 2)
    assert await _fails_with(
        ErrorCode.NOT_FOUND,
        checkout(
            runtime,
            user_id=owner.id,
            idempotency_key="k",
            destination=Destination(address_id=theirs.id),
        ),
    ) == ["addressId"]
    assert await _fails_with(
        ErrorCode.INVALID,
        checkout(
            runtime,
            user_id=owner.id,
            idempotency_key="k",
            destination=Destination(written=replace(HOME, phone="12345"), save=True),
        ),
    ) == ["address", "phone"]
    assert await Order.all().count() == 0
    assert (await Product.get(id=product.id)).stock == 5
    assert await addresses.addresses_of(owner.id) == []

    placed = await checkout(
        runtime,
        user_id=owner.id,
        idempotency_key="k",
        destination=Destination(written=HOME, save=True),
    )
    (book_entry,) = await addresses.addresses_of(owner.id)
    assert book_entry.is_default and placed.shipping_address == HOME.snapshot()


async def test_buy_now_orders_one_product_and_leaves_the_cart(runtime: Runtime) -> None:
    shop = _with_fee(runtime)
    (user,) = await make_shoppers(1)
    in_cart, wanted = await make_product(5, "1.00", "Cart"), await make_product(5, "20.00", "Now")
    await fill_cart(user, in_cart, 2)
    order = await buy_now(
        shop,
        user_id=user.id,
        product_id=wanted.id,
        quantity=2,
        idempotency_key="now",
        destination=SHIP_HOME,
    )
    assert (order.total, order.shipping_fee) == (Decimal("48.00"), Decimal("8.00"))
    assert [(p.name, p.stock) for p in await Product.all().order_by("id")] == [
        ("Cart", 5),
        ("Now", 3),
    ]
    preview = await review(shop, user_id=user.id)
    assert [(i.product.name, i.quantity) for i in preview.items] == [("Cart", 2)]
    refused = _checkouts("ADDRESS_REQUIRED")
    assert await _fails_with(
        ErrorCode.ADDRESS_REQUIRED,
        buy_now(
            shop,
            user_id=user.id,
            product_id=wanted.id,
            quantity=1,
            idempotency_key="nowhere",
            destination=Destination(),
        ),
    ) == ["addressId"]
    assert _checkouts("ADDRESS_REQUIRED") - refused == 1
    assert await _fails_with(
        ErrorCode.INSUFFICIENT_STOCK,
        buy_now(
            shop,
            user_id=user.id,
            product_id=wanted.id,
            quantity=4,
            idempotency_key="too-many",
            destination=SHIP_HOME,
        ),
    ) == ["productId"]
    assert await Order.all().count() == 1


async def test_a_double_submitted_buy_now_makes_exactly_one_order(runtime: Runtime) -> None:
    (user,) = await make_shoppers(1)
    product = await make_product(50)
    placed = await asyncio.gather(
        *(
            buy_now(
                runtime,
                user_id=user.id,
                product_id=product.id,
                quantity=3,
                idempotency_key="double-click",
                destination=SHIP_HOME,
            )
            for _ in range(12)
        )
    )
    assert {o.id for o in placed} == {placed[0].id}
    assert await Order.all().count() == 1
    assert (await Product.get(id=product.id)).stock == 47


async def test_an_order_without_an_address_gets_one_before_payment(runtime: Runtime) -> None:
    owner, other = await make_shoppers(2)
    # An order exactly as the flash-sale worker makes it: no address.
    (order,) = await services.create_orders(
        [
            services.OrderDraft(
                user_id=owner.id,
                currency="CNY",
                lines=[services.LineDraft((await make_product(3)).id, "Widget", Decimal(9), 1)],
            )
        ],
        expires_at=datetime.now(UTC) + timedelta(minutes=15),
    )
    assert await _fails_with(
        ErrorCode.ADDRESS_REQUIRED,
        payments.create_payment(runtime, user_id=owner.id, order_id=order.id),
    ) == ["orderId"]
    assert await _fails_with(
        ErrorCode.NOT_FOUND,
        shipping.ship_own_order_to(
            runtime, user_id=other.id, order_id=order.id, destination=SHIP_HOME
        ),
    ) == ["id"]
    assert await Payment.all().count() == 0

    payment = await payments.create_payment(
        runtime, user_id=owner.id, order_id=order.id, destination=SHIP_HOME
    )
    assert payment.amount == Decimal(9)
    assert (await Order.get(id=order.id)).shipping_address == HOME.snapshot()

    await services.mark_paid(runtime, order_id=order.id)
    assert await _fails_with(
        ErrorCode.INVALID_STATE,
        shipping.ship_own_order_to(
            runtime,
            user_id=owner.id,
            order_id=order.id,
            destination=Destination(written=replace(HOME, city="Suzhou")),
        ),
    ) == ["id"]
    assert (await Order.get(id=order.id)).shipping_address == HOME.snapshot()


async def test_shipping_records_the_parcel_and_the_history_and_announces_it(
    runtime: Runtime,
) -> None:
    admin, shopper = await make_shoppers(2)
    await fill_cart(shopper, await make_product(5))
    order = await checkout(runtime, user_id=shopper.id, idempotency_key="k", destination=SHIP_HOME)
    assert await _fails_with(
        ErrorCode.INVALID_STATE,
        shipping.ship_order(
            runtime, admin_id=admin.id, order_id=order.id, carrier="SF", tracking_number="SF1234"
        ),
    ) == ["status"]
    await services.mark_paid(runtime, order_id=order.id)
    for carrier, tracking, field in [
        ("", "SF1234", "carrier"),
        ("SF Express", "12", "trackingNumber"),
        ("SF Express", "SF 12 34", "trackingNumber"),
        ("x" * 41, "SF1234", "carrier"),
    ]:
        assert await _fails_with(
            ErrorCode.INVALID,
            shipping.ship_order(
                runtime,
                admin_id=admin.id,
                order_id=order.id,
                carrier=carrier,
                tracking_number=tracking,
            ),
        ) == [field]
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID

    channel = runtime.keys.channel(ORDER_TOPIC, str(order.id))
    pubsub = runtime.redis.pubsub()
    await pubsub.subscribe(channel)
    try:
        await pubsub.get_message(timeout=1.0)  # the subscription's confirmation
        shipped = await shipping.ship_order(
            runtime,
            admin_id=admin.id,
            order_id=order.id,
            carrier=" SF  Express ",
            tracking_number="sf1234567890",
        )
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
    finally:
        await pubsub.unsubscribe(channel)
        await pubsub.aclose()
    assert message is not None and json.loads(message["data"])["status"] == "SHIPPED"
    assert (shipped.status, shipped.carrier, shipped.tracking_number) == (
        OrderStatus.SHIPPED,
        "SF Express",
        "SF1234567890",
    )
    assert shipped.shipped_at is not None
    history = await OrderEvent.filter(order_id=order.id).order_by("id")
    assert [(e.to_status, e.actor_id) for e in history] == [
        (OrderStatus.PENDING_PAYMENT, shopper.id),
        (OrderStatus.PAID, None),
        (OrderStatus.SHIPPED, admin.id),
    ]
    assert history[-1].reason == "shipped with SF Express, tracking SF1234567890"
