"""Flash sales as the shop sees them: status, reading, the administrators' changes, warm-up.

A sale's units are carved out of its product's stock when it is created and go back when it
closes (`reconcile.py`). Warming loads the sale into Redis (`SaleStore.warm`), where the buy
path finds it; it is idempotent, so a running sale is never reset.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.catalog import services as catalog
from flashmart.catalog.validation import check_price
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders.models import OrderStatus
from flashmart.seckill.announce import publish_event_updated
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.store import SaleStore, TicketSnapshot, WarmState

RELEASED_STATUSES = (OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REFUNDED)

logger = logging.getLogger(__name__)


def fail(code: ErrorCode, message: str, *path: str) -> DomainFailure:
    return DomainFailure(DomainError(code, message, path or None))


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class SeckillStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    ACTIVE = "ACTIVE"
    SOLD_OUT = "SOLD_OUT"
    ENDED = "ENDED"


def remaining_stock(event: SeckillEvent, warm: WarmState | None = None) -> int:
    if warm is not None:
        return max(0, warm.remaining)
    return max(0, event.total_stock - event.sold)


def status_of(
    event: SeckillEvent, *, now: datetime | None = None, warm: WarmState | None = None
) -> SeckillStatus:
    now = now or datetime.now(UTC)
    if now >= event.ends_at:
        return SeckillStatus.ENDED
    if now < event.starts_at:
        return SeckillStatus.SCHEDULED
    if remaining_stock(event, warm) <= 0:
        return SeckillStatus.SOLD_OUT
    return SeckillStatus.ACTIVE


# How sales are listed: by start time, soonest first (the id breaks ties, so the order is total).
EVENT_ORDER = ("starts_at", "id")
EVENT_SORT = "STARTS_AT"  # the order's name inside cursors


def events_queryset(*, status: SeckillStatus | None = None) -> QuerySet[SeckillEvent]:
    now = datetime.now(UTC)
    queryset = SeckillEvent.all()
    if status is SeckillStatus.SCHEDULED:
        queryset = queryset.filter(starts_at__gt=now)
    elif status is SeckillStatus.ENDED:
        queryset = queryset.filter(ends_at__lte=now)
    elif status is not None:
        queryset = queryset.filter(starts_at__lte=now, ends_at__gt=now)
    return queryset


async def get_event(event_id: int) -> SeckillEvent | None:
    return await SeckillEvent.get_or_none(id=event_id)


@dataclass(frozen=True)
class EventInput:
    product_id: int | None = None
    price: Decimal | None = None
    total_stock: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    per_user_limit: int | None = None
    requires_verified_account: bool | None = None
    name: str | None = None  # "" clears it (lists then show the product's name)


NAME_MAX = 120


def _validate(data: EventInput, *, price: Decimal, starts: datetime, ends: datetime) -> None:
    # A sale price is checked as a product price is: finite, above 0, at most MAX_PRICE (the
    # column's DECIMAL(12, 2)), at most 2 decimal places.
    errors: list[DomainError] = check_price(price, ("price",))
    if data.total_stock is not None and not 1 <= data.total_stock <= 1_000_000:
        errors.append(
            DomainError(ErrorCode.INVALID, "Total stock must be 1 to 1,000,000", ("totalStock",))
        )
    if starts.tzinfo is None or ends.tzinfo is None:
        errors.append(DomainError(ErrorCode.INVALID, "Times need a time zone", ("startsAt",)))
    elif ends <= starts:
        errors.append(
            DomainError(ErrorCode.INVALID, "The sale must end after it starts", ("endsAt",))
        )
    if data.per_user_limit is not None and not 1 <= data.per_user_limit <= 1000:
        errors.append(
            DomainError(ErrorCode.INVALID, "Per-user limit must be 1 to 1000", ("perUserLimit",))
        )
    if data.name is not None and len(data.name.strip()) > NAME_MAX:
        errors.append(
            DomainError(ErrorCode.INVALID, f"A name is at most {NAME_MAX} characters", ("name",))
        )
    if errors:
        raise DomainFailure(*errors)


async def create_event(data: EventInput, *, runtime: Runtime | None = None) -> SeckillEvent:
    """Create an event, carving its units out of the product's stock (or refusing)."""
    if data.product_id is None or data.price is None or data.total_stock is None:
        raise fail(ErrorCode.REQUIRED, "Product, price and total stock are required", "productId")
    if data.starts_at is None or data.ends_at is None:
        raise fail(ErrorCode.REQUIRED, "Start and end are required", "startsAt")
    _validate(data, price=data.price, starts=data.starts_at, ends=data.ends_at)
    async with in_transaction():
        product = await catalog.visible_products(include_unpublished=True).get_or_none(
            id=data.product_id
        )
        if product is None:
            raise fail(ErrorCode.NOT_FOUND, "No such product", "productId")
        if not await catalog.decrement_stock(product.id, data.total_stock):
            raise fail(
                ErrorCode.INSUFFICIENT_STOCK,
                f"The product has only {product.stock} units in stock",
                "totalStock",
            )
        event = await SeckillEvent.create(
            product_id=product.id,
            price=data.price,
            total_stock=data.total_stock,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            per_user_limit=data.per_user_limit or 1,
            requires_verified_account=bool(data.requires_verified_account),
            name=(data.name or "").strip(),
        )
    if runtime is not None:  # the product's cached stock changed
        await catalog.invalidate_products(runtime, [event.product_id])
    return event


async def update_event(runtime: Runtime, event_id: int, data: EventInput) -> SeckillEvent:
    """Change price, window, limit or the verified-only flag while the sale has not ended; stock
    only before it starts. A warm sale's Redis copy is refreshed at once."""
    async with in_transaction():
        event = await SeckillEvent.get_or_none(id=event_id)
        if event is None:
            raise fail(ErrorCode.NOT_FOUND, "No such flash sale", "id")
        now = datetime.now(UTC)
        if now >= event.ends_at or event.closed_at is not None:
            raise fail(ErrorCode.INVALID_STATE, "An ended sale cannot change", "id")
        if data.product_id is not None and data.product_id != event.product_id:
            raise fail(ErrorCode.INVALID_STATE, "A sale's product cannot change", "productId")
        price = data.price if data.price is not None else event.price
        starts = data.starts_at or event.starts_at
        ends = data.ends_at or event.ends_at
        _validate(data, price=price, starts=starts, ends=ends)
        if data.total_stock is not None and data.total_stock != event.total_stock:
            if now >= event.starts_at or await SaleStore.of(runtime).is_warm(event.id):
                raise fail(
                    ErrorCode.INVALID_STATE,
                    "Stock is fixed once the sale is warm or live",
                    "totalStock",
                )
            delta = data.total_stock - event.total_stock
            if delta > 0 and not await catalog.decrement_stock(event.product_id, delta):
                raise fail(ErrorCode.INSUFFICIENT_STOCK, "Not enough product stock", "totalStock")
            if delta < 0:
                await catalog.increment_stock(event.product_id, -delta)
            event.total_stock = data.total_stock
        event.price, event.starts_at, event.ends_at = price, starts, ends
        if data.per_user_limit is not None:
            event.per_user_limit = data.per_user_limit
        if data.requires_verified_account is not None:
            event.requires_verified_account = data.requires_verified_account
        if data.name is not None:
            event.name = data.name.strip()
        await event.save()
    if await SaleStore.of(runtime).is_warm(event.id):
        await warm_up(runtime, event.id)  # refreshes window and limit, never the stock
    await publish_event_updated(runtime, event.id)
    return event


async def warm_up(runtime: Runtime, event_id: int) -> SeckillEvent:
    """Load the event into Redis (administrators and the warm-up cron; never a shopper's buy).

    Idempotent: a warm event keeps its stock, buyers and ledger; only its window, limit and
    verified-only flag are refreshed. A cold one is loaded from one read of its tickets plus
    the ledger Redis may still hold (`SaleStore.load`, warm.lua): reservations in flight keep
    their units and their shoppers' per-user counts, so re-warming after Redis lost the sale's
    meta never oversells."""
    event = await SeckillEvent.get_or_none(id=event_id)
    if event is None:
        raise fail(ErrorCode.NOT_FOUND, "No such flash sale", "id")
    if event.closed_at is not None or datetime.now(UTC) >= event.ends_at:
        raise fail(ErrorCode.ENDED, "The sale has ended", "id")
    sales = SaleStore.of(runtime)
    window = sale_window(event)
    if not await sales.refresh(**window):
        await sales.load(**window, snapshot=await ticket_snapshot(event.id))
    return event


def sale_window(event: SeckillEvent) -> dict[str, Any]:
    """What Redis keeps of a sale besides its stock: `SaleStore.refresh`/`load` arguments."""
    return {
        "event_id": event.id,
        "starts_ms": _ms(event.starts_at),
        "ends_ms": _ms(event.ends_at),
        "per_user_limit": event.per_user_limit,
        "total": event.total_stock,
        "verified_only": event.requires_verified_account,
    }


async def ticket_snapshot(event_id: int) -> TicketSnapshot:
    """Every ticket of the sale in ONE query (one consistent snapshot, also on PostgreSQL's
    read committed): live ones hold their units through their order, dead ones do not."""
    rows = await SeckillTicket.filter(event_id=event_id).values_list(
        "id", "user_id", "quantity", "status", "order__status", "reserved_at"
    )
    live: list[tuple[str, int, int]] = []
    dead: list[tuple[str, int, int, int]] = []
    for ticket_id, user_id, units, status, order_status, reserved_at in rows:
        holds = (
            status == TicketStatus.SUCCEEDED
            and order_status is not None
            and order_status not in RELEASED_STATUSES
        )
        if holds:
            live.append((ticket_id, user_id, units))
        else:
            dead.append((ticket_id, user_id, units, _ms(reserved_at)))
    return TicketSnapshot(live=live, dead=dead)


async def live_tickets(event_id: int) -> list[SeckillTicket]:
    """Succeeded tickets whose order still holds its units."""
    return await SeckillTicket.filter(
        event_id=event_id, status=TicketStatus.SUCCEEDED, order__status__not_in=RELEASED_STATUSES
    )


async def warm_upcoming(runtime: Runtime) -> int:
    """Cron (every SECKILL_WARMUP_INTERVAL_SECONDS): warm every open event that starts within
    the lead time, and load again a live one whose keys Redis lost. A warm event costs one
    script call that only refreshes its window. One event that fails is logged and skipped."""
    now = datetime.now(UTC)
    lead = timedelta(seconds=runtime.settings.seckill_warmup_lead_seconds)
    due = await SeckillEvent.filter(
        starts_at__lte=now + lead, ends_at__gt=now, closed_at__isnull=True
    ).only("id")
    warmed = 0
    for event in due:
        try:
            await warm_up(runtime, event.id)
        except DomainFailure:  # it ended (or went) since the query
            continue
        except Exception:
            logger.exception("warming flash sale %d failed; the others go on", event.id)
            continue
        warmed += 1
    return warmed
