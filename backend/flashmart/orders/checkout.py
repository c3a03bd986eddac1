"""Checkout: the shopper's cart becomes one order in one transaction, taking stock with
conditional updates (never below zero), idempotent per key. No GraphQL here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from flashmart.cart.models import CartLine
from flashmart.catalog import services as catalog
from flashmart.core import metrics, tracing
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services
from flashmart.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from flashmart.orders.numbers import new_order_number

MAX_IDEMPOTENCY_KEY = 64
NUMBER_ATTEMPTS = 5


def _fail(code: ErrorCode, message: str, *field: str) -> DomainFailure:
    return DomainFailure(DomainError(code, message, field or None))


async def checkout(runtime: Runtime, *, user_id: int, idempotency_key: str) -> Order:
    """Turn the shopper's cart into one order, taking stock atomically; idempotent per key.
    Counted in `flashmart_checkouts_total` by outcome. While tracing is on, it is the span
    `order.checkout`, remembered for the payment's webhook to link to (core/tracing.py)."""
    with tracing.optional_span("order.checkout") as span:
        try:
            order, created = await _checkout(
                runtime, user_id=user_id, idempotency_key=idempotency_key
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


async def _checkout(runtime: Runtime, *, user_id: int, idempotency_key: str) -> tuple[Order, bool]:
    key = idempotency_key.strip()
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise _fail(
            ErrorCode.INVALID,
            f"The idempotency key must have 1 to {MAX_IDEMPOTENCY_KEY} characters",
            "idempotencyKey",
        )
    try:
        order, created = await _checkout_once(runtime, user_id=user_id, key=key)
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
            services.announce_new_order(pipe, runtime, order)
            await pipe.execute()
    return order, created


async def _checkout_once(runtime: Runtime, *, user_id: int, key: str) -> tuple[Order, bool]:
    """(order, created): the order this key already made, or a new one from the cart."""
    timeout = timedelta(seconds=runtime.settings.order_payment_timeout_seconds)
    async with in_transaction():
        existing = await Order.get_or_none(user_id=user_id, idempotency_key=key)
        if existing is not None:
            return existing, False
        lines = await CartLine.filter(cart__user_id=user_id).select_related("product")
        if not lines:
            # An empty cart may mean the same key's order committed a moment ago.
            replay = await Order.get_or_none(user_id=user_id, idempotency_key=key)
            if replay is not None:
                return replay, False
            raise _fail(ErrorCode.CART_EMPTY, "Your cart is empty")
        errors: list[DomainError] = []
        # A fixed lock order (by product) keeps concurrent checkouts from deadlocking.
        ordered = sorted(enumerate(lines), key=lambda pair: pair[1].product.id)
        for index, line in ordered:
            product = line.product
            path = ("lines", str(index))
            if not product.is_published or product.deleted_at is not None:
                errors.append(
                    DomainError(
                        ErrorCode.PRODUCT_UNAVAILABLE, f"{product.name} is no longer sold", path
                    )
                )
            elif not await catalog.decrement_stock(product.id, line.quantity):
                errors.append(
                    DomainError(
                        ErrorCode.INSUFFICIENT_STOCK,
                        f"Only {await _stock_of(product.id)} of {product.name} left",
                        path,
                    )
                )
        if errors:
            raise DomainFailure(*errors)  # rolls back every decrement above
        now = datetime.now(UTC)
        order = await _create_order(
            user_id=user_id,
            total=sum((line.product.price * line.quantity for line in lines), Decimal("0.00")),
            currency=lines[0].product.currency,
            key=key,
            expires_at=now + timeout,
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
        await CartLine.filter(id__in=[line.id for line in lines]).delete()
    return order, True


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
        )
    raise RuntimeError("could not allocate a unique order number")
