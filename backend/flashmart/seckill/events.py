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

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.catalog import services as catalog
from flashmart.catalog.validation import check_price
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text
from flashmart.core.runtime import Runtime
from flashmart.orders.models import OrderStatus
from flashmart.seckill.announce import publish_event_updated
from flashmart.seckill.models import AdmissionMode, SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.room import RoomStore, room_settings
from flashmart.seckill.store import SaleStore, TicketSnapshot, WarmState

RELEASED_STATUSES = (OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REFUNDED)

logger = logging.getLogger(__name__)


def fail(code: ErrorCode, message: Message, *path: str) -> DomainFailure:
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
    admission_mode: AdmissionMode | None = None
    room_opens_at: datetime | None = None
    lottery_window_seconds: int | None = None
    grant_ttl_seconds: int | None = None
    admission_factor: int | None = None
    name: str | None = None  # "" clears it (lists then show the product's name)


NAME_MAX = 120


# Bounds of the waiting room's settings (docs/waiting-room.md).
MAX_LOTTERY_WINDOW_SECONDS = 3600
GRANT_TTL_SECONDS = (1, 3600)
MAX_ADMISSION_FACTOR = 100


def _room_errors(
    data: EventInput, *, starts: datetime, opens: datetime | None
) -> list[DomainError]:
    errors: list[DomainError] = []
    window = data.lottery_window_seconds
    if window is not None and not 0 <= window <= MAX_LOTTERY_WINDOW_SECONDS:
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                text(
                    "The lottery window must be 0 to {maximum} seconds",
                    maximum=MAX_LOTTERY_WINDOW_SECONDS,
                ),
                ("lotteryWindowSeconds",),
            )
        )
    ttl = data.grant_ttl_seconds
    if ttl is not None and not GRANT_TTL_SECONDS[0] <= ttl <= GRANT_TTL_SECONDS[1]:
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                text(
                    "An admission grant lasts {minimum} to {maximum} seconds",
                    minimum=GRANT_TTL_SECONDS[0],
                    maximum=GRANT_TTL_SECONDS[1],
                ),
                ("grantTtlSeconds",),
            )
        )
    factor = data.admission_factor
    if factor is not None and not 1 <= factor <= MAX_ADMISSION_FACTOR:
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                text("The admission factor must be 1 to {maximum}", maximum=MAX_ADMISSION_FACTOR),
                ("admissionFactor",),
            )
        )
    if opens is not None and (opens.tzinfo is None or opens >= starts):
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                text("The waiting room must open (with a time zone) before the sale starts"),
                ("roomOpensAt",),
            )
        )
    return errors


def _validate(
    data: EventInput,
    *,
    price: Decimal,
    starts: datetime,
    ends: datetime,
    opens: datetime | None = None,
) -> None:
    # A sale price is checked as a product price is: finite, above 0, at most MAX_PRICE (the
    # column's DECIMAL(12, 2)), at most 2 decimal places.
    errors: list[DomainError] = check_price(price, ("price",))
    if data.total_stock is not None and not 1 <= data.total_stock <= 1_000_000:
        errors.append(
            DomainError(
                ErrorCode.INVALID, text("Total stock must be 1 to 1,000,000"), ("totalStock",)
            )
        )
    if starts.tzinfo is None or ends.tzinfo is None:
        errors.append(DomainError(ErrorCode.INVALID, text("Times need a time zone"), ("startsAt",)))
    elif ends <= starts:
        errors.append(
            DomainError(ErrorCode.INVALID, text("The sale must end after it starts"), ("endsAt",))
        )
    if data.per_user_limit is not None and not 1 <= data.per_user_limit <= 1000:
        errors.append(
            DomainError(
                ErrorCode.INVALID, text("Per-user limit must be 1 to 1000"), ("perUserLimit",)
            )
        )
    if starts.tzinfo is not None:
        errors += _room_errors(data, starts=starts, opens=opens)
    if data.name is not None and len(data.name.strip()) > NAME_MAX:
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                text("A name is at most {maximum} characters", maximum=NAME_MAX),
                ("name",),
            )
        )
    if errors:
        raise DomainFailure(*errors)


async def create_event(data: EventInput, *, runtime: Runtime | None = None) -> SeckillEvent:
    """Create an event, carving its units out of the product's stock (or refusing)."""
    if data.product_id is None or data.price is None or data.total_stock is None:
        raise fail(
            ErrorCode.REQUIRED, text("Product, price and total stock are required"), "productId"
        )
    if data.starts_at is None or data.ends_at is None:
        raise fail(ErrorCode.REQUIRED, text("Start and end are required"), "startsAt")
    _validate(
        data, price=data.price, starts=data.starts_at, ends=data.ends_at, opens=data.room_opens_at
    )
    async with in_transaction():
        product = await catalog.visible_products(include_unpublished=True).get_or_none(
            id=data.product_id
        )
        if product is None:
            raise fail(ErrorCode.NOT_FOUND, text("No such product"), "productId")
        if not await catalog.decrement_stock(product.id, data.total_stock):
            raise fail(
                ErrorCode.INSUFFICIENT_STOCK,
                text("The product has only {count} units in stock", count=product.stock),
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
            admission_mode=data.admission_mode or AdmissionMode.FIRST_COME,
            room_opens_at=data.room_opens_at,
            **_room_values(data),  # type: ignore[arg-type]  # column values, not the connection
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
            raise fail(ErrorCode.NOT_FOUND, text("No such flash sale"), "id")
        now = datetime.now(UTC)
        if now >= event.ends_at or event.closed_at is not None:
            raise fail(ErrorCode.INVALID_STATE, text("An ended sale cannot change"), "id")
        if data.product_id is not None and data.product_id != event.product_id:
            raise fail(ErrorCode.INVALID_STATE, text("A sale's product cannot change"), "productId")
        price = data.price if data.price is not None else event.price
        starts = data.starts_at or event.starts_at
        ends = data.ends_at or event.ends_at
        opens = data.room_opens_at or event.room_opens_at
        _validate(data, price=price, starts=starts, ends=ends, opens=opens)
        await _check_room_change(runtime, event, data, now=now)
        if data.total_stock is not None and data.total_stock != event.total_stock:
            if now >= event.starts_at or await SaleStore.of(runtime).is_warm(event.id):
                raise fail(
                    ErrorCode.INVALID_STATE,
                    text("Stock is fixed once the sale is warm or live"),
                    "totalStock",
                )
            delta = data.total_stock - event.total_stock
            if delta > 0 and not await catalog.decrement_stock(event.product_id, delta):
                raise fail(
                    ErrorCode.INSUFFICIENT_STOCK, text("Not enough product stock"), "totalStock"
                )
            if delta < 0:
                await catalog.increment_stock(event.product_id, -delta)
            event.total_stock = data.total_stock
        event.price, event.starts_at, event.ends_at = price, starts, ends
        if data.per_user_limit is not None:
            event.per_user_limit = data.per_user_limit
        if data.requires_verified_account is not None:
            event.requires_verified_account = data.requires_verified_account
        if data.admission_mode is not None:
            event.admission_mode = data.admission_mode
        event.room_opens_at = opens
        for name, value in _room_values(data).items():
            setattr(event, name, value)
        if data.name is not None:
            event.name = data.name.strip()
        await event.save()
    if await SaleStore.of(runtime).is_warm(event.id):
        await warm_up(runtime, event.id)  # refreshes window and limit, never the stock
    await publish_event_updated(runtime, event.id)
    return event


def _room_values(data: EventInput) -> dict[str, int]:
    """The waiting room's numeric settings the input sets."""
    values = {
        "lottery_window_seconds": data.lottery_window_seconds,
        "grant_ttl_seconds": data.grant_ttl_seconds,
        "admission_factor": data.admission_factor,
    }
    return {name: value for name, value in values.items() if value is not None}


async def _check_room_change(
    runtime: Runtime, event: SeckillEvent, data: EventInput, *, now: datetime
) -> None:
    """The admission mode is fixed once the sale is warm or live (shoppers may have joined, or
    bought without a grant); the lottery window and the opening once the sale has started."""
    mode = data.admission_mode
    if (
        mode is not None
        and mode != event.admission_mode
        and (now >= event.starts_at or await SaleStore.of(runtime).is_warm(event.id))
    ):
        raise fail(
            ErrorCode.INVALID_STATE,
            text("The admission mode is fixed once the sale is warm or live"),
            "admissionMode",
        )
    window = data.lottery_window_seconds
    changes_window = window is not None and window != event.lottery_window_seconds
    opens = data.room_opens_at
    if (changes_window or opens is not None) and now >= event.starts_at:
        raise fail(
            ErrorCode.INVALID_STATE,
            text("The waiting room's windows are fixed once the sale has started"),
            "lotteryWindowSeconds" if changes_window else "roomOpensAt",
        )


async def warm_up(runtime: Runtime, event_id: int) -> SeckillEvent:
    """Load the event into Redis (administrators and the warm-up cron; never a shopper's buy).

    Idempotent: a warm event keeps its stock, buyers and ledger; only its window, limit and
    verified-only flag are refreshed. A cold one is loaded from one read of its tickets plus
    the ledger Redis may still hold (`SaleStore.load`, warm.lua): reservations in flight keep
    their units and their shoppers' per-user counts, so re-warming after Redis lost the sale's
    meta never oversells."""
    event = await SeckillEvent.get_or_none(id=event_id)
    if event is None:
        raise fail(ErrorCode.NOT_FOUND, text("No such flash sale"), "id")
    if event.closed_at is not None or datetime.now(UTC) >= event.ends_at:
        raise fail(ErrorCode.ENDED, text("The sale has ended"), "id")
    sales = SaleStore.of(runtime)
    window = sale_window(event)
    if event.admission_mode is AdmissionMode.WAITING_ROOM:  # before reserve.lua asks for grants
        await RoomStore.of(runtime).configure(event.id, **room_settings(event))
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
        "room": event.admission_mode is AdmissionMode.WAITING_ROOM,
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
    """Cron (every SECKILL_WARMUP_INTERVAL_SECONDS): warm every open event that starts (or
    whose waiting room opens) within the lead time, and load again a live one whose keys Redis
    lost. A warm event costs one script call that only refreshes its window. One event that
    fails is logged and skipped."""
    now = datetime.now(UTC)
    lead = timedelta(seconds=runtime.settings.seckill_warmup_lead_seconds)
    due = await SeckillEvent.filter(
        Q(starts_at__lte=now + lead) | Q(room_opens_at__lte=now + lead),
        ends_at__gt=now,
        closed_at__isnull=True,
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
