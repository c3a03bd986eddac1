"""Checkout: the shopper's cart (or, for "buy now", one product) becomes one order in one
transaction, taking stock with conditional updates (never below zero), idempotent per key, with
a copy of the shipping address and the shipping fee. No GraphQL here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from flashmart.addresses import services as addresses
from flashmart.addresses.services import Destination
from flashmart.cart import services as cart
from flashmart.cart.models import CartLine
from flashmart.catalog import services as catalog
from flashmart.catalog.models import Product
from flashmart.core import metrics, tracing
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text
from flashmart.core.runtime import Runtime
from flashmart.orders import services, shipping
from flashmart.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from flashmart.orders.numbers import new_order_number

MAX_IDEMPOTENCY_KEY = 64
NUMBER_ATTEMPTS = 5


def _fail(code: ErrorCode, message: Message, *field: str) -> DomainFailure:
    return DomainFailure(DomainError(code, message, field or None))


@dataclass(frozen=True)
class Item:
    """A product and how many units of it an order takes; `path` names it in errors."""

    product: Product
    quantity: int
    path: tuple[str, ...]
    cart_line_id: int | None = None  # removed from the cart with the order


# Where an order's items come from, read inside the order's transaction.
ItemSource = Callable[[], Awaitable[list[Item]]]


async def checkout(
    runtime: Runtime,
    *,
    user_id: int,
    idempotency_key: str,
    destination: Destination | None = None,
) -> Order:
    """Turn the shopper's cart into one order, taking stock atomically; idempotent per key.
    Without a destination the order has no address yet (payment asks for one)."""
    return await _place(
        runtime,
        user_id=user_id,
        idempotency_key=idempotency_key,
        destination=destination,
        items=partial(_cart_items, user_id),
    )


async def buy_now(
    runtime: Runtime,
    *,
    user_id: int,
    product_id: int,
    quantity: int,
    idempotency_key: str,
    destination: Destination,
) -> Order:
    """One order for `quantity` units of one product, exactly as a checkout of a cart holding
    only them would make it; the cart is left alone."""
    cart.check_quantity(quantity, runtime.settings.cart_max_line_quantity)
    return await _place(
        runtime,
        user_id=user_id,
        idempotency_key=idempotency_key,
        destination=destination,
        items=partial(_one_product, product_id, quantity),
    )


async def _cart_items(user_id: int) -> list[Item]:
    lines = await CartLine.filter(cart__user_id=user_id).select_related("product")
    return [
        Item(line.product, line.quantity, ("lines", str(index)), line.id)
        for index, line in enumerate(lines)
    ]


async def _one_product(product_id: int, quantity: int) -> list[Item]:
    product = await catalog.get_product(product_id, include_unpublished=True)
    if product is None:
        raise _fail(ErrorCode.NOT_FOUND, text("No such product"), "productId")
    return [Item(product, quantity, ("productId",))]


@dataclass(frozen=True)
class Review:
    """What a checkout would charge now: its items at current prices, and the sums."""

    items: list[Item]
    currency: str
    subtotal: Decimal
    shipping: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping


async def review(
    runtime: Runtime, *, user_id: int, product_id: int | None = None, quantity: int = 1
) -> Review:
    """The review before confirming: the cart's, or with `product_id` a "buy now" of
    `quantity` units. Nothing is reserved; the checkout itself may still find stock gone."""
    if product_id is None:
        items = await _cart_items(user_id)
    else:
        cart.check_quantity(quantity, runtime.settings.cart_max_line_quantity)
        items = await _one_product(product_id, quantity)
    subtotal = subtotal_of(items)
    return Review(
        items=items,
        currency=items[0].product.currency if items else cart.DEFAULT_CURRENCY,
        subtotal=subtotal,
        shipping=shipping.shipping_fee(runtime.settings, subtotal) if items else Decimal("0.00"),
    )


async def _place(
    runtime: Runtime,
    *,
    user_id: int,
    idempotency_key: str,
    destination: Destination | None,
    items: ItemSource,
) -> Order:
    """Checkout's one road to a new order. Counted in `flashmart_checkouts_total` by outcome.
    While tracing is on, it is the span `order.checkout`, remembered for the payment's webhook
    to link to (core/tracing.py)."""
    with tracing.optional_span("order.checkout") as span:
        try:
            order, created = await _checkout(
                runtime,
                user_id=user_id,
                idempotency_key=idempotency_key,
                destination=destination,
                items=items,
            )
        except DomainFailure as failure:
            code = failure.errors[0].code.value if failure.errors else "error"
            metrics.CHECKOUTS.labels(code if code in metrics.CHECKOUT_OUTCOMES else "error").inc()
            raise
        except Exception:
            metrics.CHECKOUTS.labels("error").inc()
            raise
        metrics.CHECKOUTS.labels("created" if created else "replayed").inc()
        if span is not None:
            span.set_attributes({"flashmart.order.id": order.id, "flashmart.created": created})
            if created:  # a replay keeps the first checkout's span
                key = runtime.keys.trace_context("order", order.id)
                await tracing.remember(runtime.redis, key, span)
    return order


async def _checkout(
    runtime: Runtime,
    *,
    user_id: int,
    idempotency_key: str,
    destination: Destination | None,
    items: ItemSource,
) -> tuple[Order, bool]:
    key = idempotency_key.strip()
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise _fail(
            ErrorCode.INVALID,
            text(
                "The idempotency key must have 1 to {maximum} characters",
                maximum=MAX_IDEMPOTENCY_KEY,
            ),
            "idempotencyKey",
        )
    try:
        order, created = await _checkout_once(
            runtime, user_id=user_id, key=key, destination=destination, items=items
        )
    except IntegrityError:
        # The same key won a race in a concurrent request: that order is the answer, and this
        # transaction's stock decrements were rolled back with it.
        replay = await Order.get_or_none(user_id=user_id, idempotency_key=key)
        if replay is None:
            raise
        return replay, False
    if created:
        await catalog.invalidate_products(runtime, await services.product_ids(order.id))
        async with runtime.redis.pipeline(transaction=False) as pipe:
            jobs = services.job_pipeline(runtime)
            services.announce_new_order(pipe, runtime, order, jobs=jobs)
            await pipe.execute()
            if jobs is not None:  # the queue on its own Redis (QUEUE_REDIS_URL)
                await jobs.execute()
    return order, created


async def _checkout_once(
    runtime: Runtime,
    *,
    user_id: int,
    key: str,
    destination: Destination | None,
    items: ItemSource,
) -> tuple[Order, bool]:
    """(order, created): the order this key already made, or a new one from `items`."""
    settings = runtime.settings
    timeout = timedelta(seconds=settings.order_payment_timeout_seconds)
    async with in_transaction():
        existing = await Order.get_or_none(user_id=user_id, idempotency_key=key)
        if existing is not None:
            return existing, False
        lines = await items()
        if not lines:
            # An empty cart may mean the same key's order committed a moment ago.
            replay = await Order.get_or_none(user_id=user_id, idempotency_key=key)
            if replay is not None:
                return replay, False
            raise _fail(ErrorCode.CART_EMPTY, text("Your cart is empty"))
        snapshot = None
        if destination is not None:
            snapshot = await addresses.destination_snapshot(
                destination, user_id=user_id, settings=settings
            )
        errors: list[DomainError] = []
        # A fixed lock order (by product) keeps concurrent checkouts from deadlocking.
        for line in sorted(lines, key=lambda line: line.product.id):
            product = line.product
            if not product.is_published or product.deleted_at is not None:
                errors.append(
                    DomainError(
                        ErrorCode.PRODUCT_UNAVAILABLE,
                        text("{product} is no longer sold", product=product.name),
                        line.path,
                    )
                )
            elif not await catalog.decrement_stock(product.id, line.quantity):
                errors.append(
                    DomainError(
                        ErrorCode.INSUFFICIENT_STOCK,
                        text(
                            "Only {count} of {product} left",
                            count=await _stock_of(product.id),
                            product=product.name,
                        ),
                        line.path,
                    )
                )
        if errors:
            raise DomainFailure(*errors)  # rolls back every decrement above
        subtotal = subtotal_of(lines)
        fee = shipping.shipping_fee(settings, subtotal)
        order = await _create_order(
            user_id=user_id,
            total=subtotal + fee,
            currency=lines[0].product.currency,
            key=key,
            expires_at=datetime.now(UTC) + timeout,
            shipping_fee=fee,
            shipping_address=snapshot,
        )
        await OrderLine.bulk_create(
            [
                OrderLine(
                    order=order,
                    product_id=line.product.id,
                    product_name=line.product.name,
                    unit_price=line.product.price,
                    quantity=line.quantity,
                )
                for line in lines
            ]
        )
        await OrderEvent.create(
            order=order, to_status=OrderStatus.PENDING_PAYMENT, actor_id=user_id
        )
        taken = [line.cart_line_id for line in lines if line.cart_line_id is not None]
        if taken:
            await CartLine.filter(id__in=taken).delete()
    return order, True


def subtotal_of(items: list[Item]) -> Decimal:
    return sum((item.product.price * item.quantity for item in items), Decimal("0.00"))


async def _stock_of(product_id: int) -> int:
    product = await catalog.visible_products(include_unpublished=True).get_or_none(id=product_id)
    return product.stock if product else 0


async def _create_order(
    *,
    user_id: int,
    total: Decimal,
    currency: str,
    key: str | None,
    expires_at: datetime,
    shipping_fee: Decimal = Decimal("0.00"),
    shipping_address: dict[str, str] | None = None,
) -> Order:
    for attempt in range(NUMBER_ATTEMPTS):
        number = new_order_number()
        if attempt and await Order.filter(number=number).exists():
            continue
        return await Order.create(
            number=number,
            user_id=user_id,
            total=total,
            currency=currency,
            idempotency_key=key,
            expires_at=expires_at,
            shipping_fee=shipping_fee,
            shipping_address=shipping_address,
        )
    raise RuntimeError("could not allocate a unique order number")
