"""The order lifecycle: creating orders, status changes, expiry and reads. No GraphQL here.

Checkout (cart to order) is `checkout.py`.

Every status change goes through `change_status`, which applies the state machine of
`flashmart.orders.state` with a conditional update (`WHERE status = <expected>`), so two
racing changes (cancel and expire, pay and expire) can never both win, and stock is
returned exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from redis.asyncio.client import Pipeline
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.catalog import services as catalog
from flashmart.core import metrics
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text
from flashmart.core.queue import add_new_job
from flashmart.core.runtime import Runtime
from flashmart.orders import hooks, state
from flashmart.orders.events import publish_order_updated, publish_order_updated_in
from flashmart.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from flashmart.orders.numbers import new_order_number

logger = logging.getLogger(__name__)


def _fail(code: ErrorCode, message: Message, *field: str) -> DomainFailure:
    return DomainFailure(DomainError(code, message, field or None))


async def product_ids(order_id: int) -> list[int]:
    return [line.product_id for line in await OrderLine.filter(order_id=order_id)]


def expiry_job_id(runtime: Runtime, order_id: int) -> str:
    """arq keeps job and result keys unprefixed for an hour: our prefix keeps them apart."""
    return f"{runtime.keys.prefix}order-expire:{order_id}"


def announce_new_order(
    pipe: Pipeline, runtime: Runtime, order: Order, *, jobs: Pipeline | None = None
) -> None:
    """What follows a new order's commit, added to one Redis round trip: its expiry job,
    deferred to `expires_at`, and the `orderUpdated` announcement. The job goes into `jobs`
    (`job_pipeline`: the queue's own Redis, QUEUE_REDIS_URL) when given, else into `pipe`."""
    assert order.expires_at is not None  # every new order awaits payment
    add_new_job(
        pipe if jobs is None else jobs,
        runtime.keys,
        job_id=expiry_job_id(runtime, order.id),
        function="expire_order",
        args=[order.id],
        run_at_ms=int(order.expires_at.timestamp() * 1000),
    )
    publish_order_updated_in(pipe, runtime.keys, order)


def job_pipeline(runtime: Runtime) -> Pipeline | None:
    """Where a round trip on the sale's Redis puts its jobs: None (into that round trip's own
    pipeline) while the queue shares the Redis, else a pipeline of the queue's, for the caller
    to execute."""
    if not runtime.settings.queue_is_separate:
        return None
    return runtime.queue.pipeline(transaction=False)


@dataclass(frozen=True)
class LineDraft:
    product_id: int
    product_name: str
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True)
class OrderDraft:
    """An order to create, unpaid: its buyer, currency, lines and, for an order that a flash
    sale's reservation made, the sale (`Order.seckill_event_id`)."""

    user_id: int
    currency: str
    lines: list[LineDraft]
    seckill_event_id: int | None = None


async def create_orders(drafts: list[OrderDraft], *, expires_at: datetime) -> list[Order]:
    """Create unpaid orders, in the order of `drafts`, with their lines and history (one bulk
    insert each). Call inside a transaction; announce them after the commit with
    `announce_new_order`.

    The numbers are distinct among `drafts`; a collision with another transaction's number
    raises IntegrityError like any duplicate. Bulk inserts return no ids on SQLite, so the new
    orders are read back by number (one query)."""
    numbers: set[str] = set()
    made: list[Order] = []
    for draft in drafts:
        number = new_order_number()
        while number in numbers:
            number = new_order_number()
        numbers.add(number)
        made.append(
            Order(
                number=number,
                user_id=draft.user_id,
                total=sum((line.unit_price * line.quantity for line in draft.lines), Decimal(0)),
                currency=draft.currency,
                expires_at=expires_at,
                seckill_event_id=draft.seckill_event_id,
            )
        )
    # One insert order for every writer: concurrent batches wait on each other's numbers in the
    # same sequence instead of deadlocking.
    await Order.bulk_create(sorted(made, key=lambda order: order.number))
    ids = dict(await Order.filter(number__in=list(numbers)).values_list("number", "id"))
    for order in made:
        order.id = ids[order.number]
        order._saved_in_db = True
    await OrderLine.bulk_create(
        [
            OrderLine(
                order_id=order.id,
                product_id=line.product_id,
                product_name=line.product_name,
                unit_price=line.unit_price,
                quantity=line.quantity,
            )
            for order, draft in zip(made, drafts, strict=True)
            for line in draft.lines
        ]
    )
    await OrderEvent.bulk_create(
        [
            OrderEvent(
                order_id=order.id, to_status=OrderStatus.PENDING_PAYMENT, actor_id=draft.user_id
            )
            for order, draft in zip(made, drafts, strict=True)
        ]
    )
    return made


# --- status changes -------------------------------------------------------------------------
@dataclass(frozen=True)
class StatusChange:
    order: Order
    changed: bool


async def change_status(
    runtime: Runtime,
    *,
    order_id: int,
    target: OrderStatus,
    actor_id: int | None,
    reason: str = "",
    only_from: OrderStatus | None = None,
    publish: bool = True,
) -> StatusChange:
    """Move an order along the state machine exactly once, returning freed stock with it.

    Inside a caller's open transaction (this one nests as a savepoint) pass `publish=False`
    and publish after the commit, so subscribers never read the order before the change.
    """
    async with in_transaction():
        order = await Order.get_or_none(id=order_id)
        if order is None:
            raise _fail(ErrorCode.NOT_FOUND, text("No such order"), "id")
        source = order.status
        step = state.transition(source, target)
        if step is None or (only_from is not None and source is not only_from):
            raise _fail(
                ErrorCode.INVALID_STATE,
                text(
                    "An order that is {source} cannot become {target}",
                    source=source.value,
                    target=target.value,
                ),
                "status",
            )
        now = datetime.now(UTC)
        fields: dict[str, object] = {"status": target, "updated_at": now}
        if target is OrderStatus.PAID:
            fields["paid_at"] = now
        # Conditional on the status we read: a concurrent change makes this a no-op.
        moved = await Order.filter(id=order_id, status=source).update(**fields)
        if not moved:
            raise _fail(
                ErrorCode.INVALID_STATE, text("The order changed meanwhile; try again"), "status"
            )
        if step.releases_stock:
            await _release_stock(order)
        await OrderEvent.create(
            order_id=order_id,
            from_status=source,
            to_status=target,
            actor_id=actor_id,
            reason=reason,
        )
    await order.refresh_from_db()
    if step.releases_stock:
        metrics.ORDER_RELEASES.labels(target.value).inc()
        await catalog.invalidate_products(runtime, await product_ids(order.id))
        if order.seckill_event_id is not None:
            await hooks.sale_units().after_commit(runtime, order)
    if publish:
        await publish_order_updated(runtime, order)
    return StatusChange(order=order, changed=True)


async def _release_stock(order: Order) -> None:
    lines = await OrderLine.filter(order_id=order.id)
    if order.seckill_event_id is None:
        for line in lines:
            await catalog.increment_stock(line.product_id, line.quantity)
        return
    # A flash-sale unit goes back to its sale, which the flash-sale domain handles.
    await hooks.sale_units().in_transaction(order, sum(line.quantity for line in lines))


async def cancel_order(runtime: Runtime, *, user_id: int, order_id: int) -> Order:
    """The shopper cancels their own unpaid order."""
    if not await Order.filter(id=order_id, user_id=user_id).exists():
        raise _fail(ErrorCode.NOT_FOUND, text("No such order"), "id")
    change = await change_status(
        runtime,
        order_id=order_id,
        target=OrderStatus.CANCELLED,
        actor_id=user_id,
        reason="cancelled by shopper",
    )
    return change.order


async def expire_order(runtime: Runtime, order_id: int, *, now: datetime | None = None) -> bool:
    """Expire an unpaid order whose time is up. Safe to call any number of times."""
    now = now or datetime.now(UTC)
    due = await Order.filter(
        id=order_id, status=OrderStatus.PENDING_PAYMENT, expires_at__lte=now
    ).exists()
    if not due:
        return False
    try:
        await change_status(
            runtime,
            order_id=order_id,
            target=OrderStatus.EXPIRED,
            actor_id=None,
            reason="payment timeout",
            only_from=OrderStatus.PENDING_PAYMENT,
        )
    except DomainFailure:  # paid or cancelled in the meantime
        return False
    return True


async def expire_overdue(runtime: Runtime, *, limit: int = 500) -> int:
    """Expire every overdue unpaid order (the sweep behind the deferred jobs)."""
    now = datetime.now(UTC)
    overdue = (
        await Order.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lte=now)
        .order_by("expires_at")
        .limit(limit)
        .only("id")
    )
    expired = 0
    for order in overdue:
        expired += await expire_order(runtime, order.id, now=now)
    return expired


async def admin_set_status(
    runtime: Runtime, *, admin_id: int, order_id: int, target: OrderStatus
) -> Order:
    if target not in state.ADMIN_TARGETS:
        raise _fail(
            ErrorCode.INVALID_STATE,
            text(
                "{status} is not set by hand (payment, refund and expiry have their own paths)",
                status=target.value,
            ),
            "status",
        )
    change = await change_status(
        runtime, order_id=order_id, target=target, actor_id=admin_id, reason="set by admin"
    )
    return change.order


async def refund_order(
    runtime: Runtime,
    *,
    admin_id: int,
    order_id: int,
    publish: bool = True,
    reason: str = "refunded by admin",
) -> Order:
    """Moves the order only; `flashmart.payments.services.refund_order` also returns the money."""
    change = await change_status(
        runtime,
        order_id=order_id,
        target=OrderStatus.REFUNDED,
        actor_id=admin_id,
        reason=reason,
        publish=publish,
    )
    return change.order


async def mark_paid(runtime: Runtime, *, order_id: int, reason: str = "payment received") -> Order:
    change = await change_status(
        runtime, order_id=order_id, target=OrderStatus.PAID, actor_id=None, reason=reason
    )
    return change.order


# --- reads ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderFilter:
    status: OrderStatus | None = None
    number: str | None = None
    user_email: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def orders_for(
    *, user_id: int, is_admin: bool, filters: OrderFilter | None = None
) -> QuerySet[Order]:
    """Orders a viewer may list: their own, or every order for an administrator."""
    queryset = Order.all() if is_admin else Order.filter(user_id=user_id)
    f = filters or OrderFilter()
    if f.status is not None:
        queryset = queryset.filter(status=f.status)
    if f.number:
        queryset = queryset.filter(number__icontains=f.number.strip())
    if f.user_email and is_admin:
        queryset = queryset.filter(user__email__icontains=f.user_email.strip().lower())
    if f.created_from is not None:
        queryset = queryset.filter(created_at__gte=f.created_from)
    if f.created_to is not None:
        queryset = queryset.filter(created_at__lt=f.created_to)
    return queryset


async def order_for(*, order_id: int, user_id: int, is_admin: bool) -> Order | None:
    """The order if the viewer owns it or is an administrator; None otherwise (no leak)."""
    return await orders_for(user_id=user_id, is_admin=is_admin).get_or_none(id=order_id)
