"""Flash sales: events, warm-up, the buy path, persistence, reconciliation, closing, audit.

The buy path touches Redis only (one Lua script that reserves and enqueues); the worker
writes the order later, idempotently, and the reconciler repairs whatever a crash or a lost
job left behind. No GraphQL here.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.accounts.models import User
from flashmart.catalog import services as catalog
from flashmart.catalog.models import Product
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode, rate_limited
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderStatus
from flashmart.seckill import store
from flashmart.seckill.errors import REFUSALS
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.store import ReserveCode

logger = logging.getLogger(__name__)

RELEASED_STATUSES = (OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REFUNDED)
TICKET_TOPIC = "seckill-ticket"
EVENT_TOPIC = "seckill-event"
CLOSED_KEYS_TTL = 86_400


class SeckillStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    ACTIVE = "ACTIVE"
    SOLD_OUT = "SOLD_OUT"
    ENDED = "ENDED"


def _fail(code: ErrorCode, message: str, *path: str) -> DomainFailure:
    return DomainFailure(DomainError(code, message, path or None))


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


# --- reading an event ----------------------------------------------------------------------
def remaining_stock(event: SeckillEvent, warm: store.WarmState | None = None) -> int:
    if warm is not None:
        return max(0, warm.remaining)
    return max(0, event.total_stock - event.sold)


def status_of(
    event: SeckillEvent, *, now: datetime | None = None, warm: store.WarmState | None = None
) -> SeckillStatus:
    now = now or datetime.now(UTC)
    if now >= event.ends_at:
        return SeckillStatus.ENDED
    if now < event.starts_at:
        return SeckillStatus.SCHEDULED
    if remaining_stock(event, warm) <= 0:
        return SeckillStatus.SOLD_OUT
    return SeckillStatus.ACTIVE


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


# --- admin: create, update, warm up ---------------------------------------------------------
@dataclass(frozen=True)
class EventInput:
    product_id: int | None = None
    price: Decimal | None = None
    total_stock: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    per_user_limit: int | None = None


def _validate(data: EventInput, *, price: Decimal, starts: datetime, ends: datetime) -> None:
    errors: list[DomainError] = []
    if price <= 0 or price.as_tuple().exponent < -2:  # type: ignore[operator]
        errors.append(
            DomainError(ErrorCode.INVALID, "Price must be positive, 2 decimals at most", ("price",))
        )
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
    if errors:
        raise DomainFailure(*errors)


async def create_event(data: EventInput, *, runtime: Runtime | None = None) -> SeckillEvent:
    """Create an event, carving its units out of the product's stock (or refusing)."""
    if data.product_id is None or data.price is None or data.total_stock is None:
        raise _fail(ErrorCode.REQUIRED, "Product, price and total stock are required", "productId")
    if data.starts_at is None or data.ends_at is None:
        raise _fail(ErrorCode.REQUIRED, "Start and end are required", "startsAt")
    _validate(data, price=data.price, starts=data.starts_at, ends=data.ends_at)
    async with in_transaction():
        product = await catalog.visible_products(include_unpublished=True).get_or_none(
            id=data.product_id
        )
        if product is None:
            raise _fail(ErrorCode.NOT_FOUND, "No such product", "productId")
        if not await catalog.decrement_stock(product.id, data.total_stock):
            raise _fail(
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
        )
    if runtime is not None:  # the product's cached stock changed
        await catalog.invalidate_products(runtime, [event.product_id])  # type: ignore[attr-defined]
    return event


async def update_event(runtime: Runtime, event_id: int, data: EventInput) -> SeckillEvent:
    """Change price, window or limit while the sale has not ended; stock only before it starts."""
    async with in_transaction():
        event = await SeckillEvent.get_or_none(id=event_id)
        if event is None:
            raise _fail(ErrorCode.NOT_FOUND, "No such flash sale", "id")
        now = datetime.now(UTC)
        if now >= event.ends_at or event.closed_at is not None:
            raise _fail(ErrorCode.INVALID_STATE, "An ended sale cannot change", "id")
        if data.product_id is not None and data.product_id != event.product_id:  # type: ignore[attr-defined]
            raise _fail(ErrorCode.INVALID_STATE, "A sale's product cannot change", "productId")
        price = data.price if data.price is not None else event.price
        starts = data.starts_at or event.starts_at
        ends = data.ends_at or event.ends_at
        _validate(data, price=price, starts=starts, ends=ends)
        if data.total_stock is not None and data.total_stock != event.total_stock:
            if now >= event.starts_at or await store.is_warm(runtime.redis, runtime.keys, event.id):
                raise _fail(
                    ErrorCode.INVALID_STATE,
                    "Stock is fixed once the sale is warm or live",
                    "totalStock",
                )
            delta = data.total_stock - event.total_stock
            if delta > 0 and not await catalog.decrement_stock(event.product_id, delta):  # type: ignore[attr-defined]
                raise _fail(ErrorCode.INSUFFICIENT_STOCK, "Not enough product stock", "totalStock")
            if delta < 0:
                await catalog.increment_stock(event.product_id, -delta)  # type: ignore[attr-defined]
            event.total_stock = data.total_stock
        event.price, event.starts_at, event.ends_at = price, starts, ends
        if data.per_user_limit is not None:
            event.per_user_limit = data.per_user_limit
        await event.save()
    if await store.is_warm(runtime.redis, runtime.keys, event.id):
        await warm_up(runtime, event.id)  # refreshes window and limit, never the stock
    await publish_event_updated(runtime, event.id)
    return event


async def warm_up(runtime: Runtime, event_id: int) -> SeckillEvent:
    """Load the event into Redis. Idempotent: a warm event keeps its stock and ledger."""
    event = await SeckillEvent.get_or_none(id=event_id)
    if event is None:
        raise _fail(ErrorCode.NOT_FOUND, "No such flash sale", "id")
    if event.closed_at is not None or datetime.now(UTC) >= event.ends_at:
        raise _fail(ErrorCode.ENDED, "The sale has ended", "id")
    holdings: dict[int, int] = defaultdict(int)
    for ticket in await _live_tickets(event.id):
        holdings[ticket.user_id] += ticket.quantity  # type: ignore[attr-defined]
    await store.warm(
        runtime.redis,
        runtime.keys,
        event_id=event.id,
        starts_ms=_ms(event.starts_at),
        ends_ms=_ms(event.ends_at),
        per_user_limit=event.per_user_limit,
        remaining=event.total_stock - event.sold,
        total=event.total_stock,
        holdings=dict(holdings),
    )
    return event


async def _live_tickets(event_id: int) -> list[SeckillTicket]:
    """Succeeded tickets whose order still holds its units."""
    return await SeckillTicket.filter(
        event_id=event_id, status=TicketStatus.SUCCEEDED, order__status__not_in=RELEASED_STATUSES
    )


async def warm_upcoming(runtime: Runtime) -> int:
    """Cron: warm every open event that starts within the lead time."""
    now = datetime.now(UTC)
    lead = timedelta(seconds=runtime.settings.seckill_warmup_lead_seconds)
    due = await SeckillEvent.filter(
        starts_at__lte=now + lead, ends_at__gt=now, closed_at__isnull=True
    ).only("id")
    for event in due:
        await warm_up(runtime, event.id)
    return len(due)


# --- the buy path ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TicketView:
    id: str
    event_id: int
    user_id: int
    quantity: int
    status: TicketStatus
    order_id: int | None = None
    failure_reason: str | None = None


async def buy(
    runtime: Runtime, *, user_id: int, event_id: int, quantity: int, client_ip: str
) -> TicketView:
    """Reserve units in one Redis script call; the worker persists the order. No database."""
    settings = runtime.settings
    if not 1 <= quantity <= settings.seckill_max_quantity:
        raise _fail(
            ErrorCode.INVALID, f"Quantity must be 1 to {settings.seckill_max_quantity}", "quantity"
        )
    ticket_id = uuid.uuid4().hex
    enqueue = settings.seckill_enqueue_in_script
    result = await _reserve(runtime, user_id, event_id, quantity, ticket_id, client_ip, enqueue)
    if result.code is ReserveCode.NOT_WARM:
        # A sale the warm-up cron has not reached (or Redis lost it): warm from the database.
        await warm_up(runtime, event_id)
        result = await _reserve(runtime, user_id, event_id, quantity, ticket_id, client_ip, enqueue)
    if result.code is ReserveCode.RATE_LIMITED:
        raise rate_limited(result.value / 1000)
    if result.code is not ReserveCode.OK:
        code, message = REFUSALS[result.code]
        raise _fail(code, message, "eventId")
    if not enqueue:
        # The reconciler persists the reservation should this enqueue never happen.
        await runtime.queue.enqueue_job(
            store.PERSIST_JOB, event_id, ticket_id, user_id, quantity, int(time.time() * 1000),
            _job_id=ticket_id,
        )  # fmt: skip
    return TicketView(
        id=ticket_id,
        event_id=event_id,
        user_id=user_id,
        quantity=quantity,
        status=TicketStatus.QUEUED,
    )


async def _reserve(
    runtime: Runtime,
    user_id: int,
    event_id: int,
    quantity: int,
    ticket_id: str,
    client_ip: str,
    enqueue: bool,
) -> store.ReserveResult:
    s = runtime.settings
    return await store.reserve(
        runtime.redis,
        runtime.keys,
        event_id=event_id,
        user_id=user_id,
        quantity=quantity,
        ticket_id=ticket_id,
        client_ip=client_ip,
        user_rate=s.seckill_user_rate,
        user_burst=s.seckill_user_burst,
        ip_rate=s.seckill_ip_rate,
        ip_burst=s.seckill_ip_burst,
        enqueue=enqueue,
    )


async def ticket_for(runtime: Runtime, *, ticket_id: str, user_id: int) -> TicketView | None:
    """The shopper's own ticket: from the database once persisted, else from the ledger."""
    row = await SeckillTicket.get_or_none(id=ticket_id, user_id=user_id)
    if row is not None:
        return _view(row)
    for event_id in await store.warm_event_ids(runtime.redis, runtime.keys):
        entry = await store.ledger_entry(runtime.redis, runtime.keys, event_id, ticket_id)
        if entry is not None and entry.user_id == user_id:
            return TicketView(
                id=ticket_id,
                event_id=event_id,
                user_id=user_id,
                quantity=entry.quantity,
                status=TicketStatus.QUEUED,
            )
    return None


def _view(row: SeckillTicket) -> TicketView:
    return TicketView(
        id=row.id,
        event_id=row.event_id,  # type: ignore[attr-defined]
        user_id=row.user_id,  # type: ignore[attr-defined]
        quantity=row.quantity,
        status=row.status,
        order_id=row.order_id,  # type: ignore[attr-defined]
        failure_reason=row.failure_reason,
    )


# --- persistence (worker) -------------------------------------------------------------------
class PersistOutcome(StrEnum):
    CREATED = "created"
    ALREADY = "already"
    FAILED = "failed"


INACTIVE_REASON = "The account is no longer active"
PERSIST_ATTEMPTS = 5  # a rare order-number collision rolls a single persist back: try again
HELD_MARGIN_SECONDS = 0.05


@dataclass(frozen=True)
class ClaimHeld:
    """Another worker's live claim holds the job's ticket: run the job again in `seconds`, when
    that claim lapses. By then the ticket is settled (the job answers ALREADY), or its claimer
    died and this job persists it."""

    seconds: float


def claim_lifetime_ms(runtime: Runtime) -> int:
    """How long a claim holds its entries: as long as a reservation takes to count as stale."""
    return max(1, int(runtime.settings.seckill_reconcile_after_seconds * 1000))


async def persist_job(
    runtime: Runtime,
    *,
    event_id: int,
    ticket_id: str,
    user_id: int,
    quantity: int,
    reserved_ms: int,
) -> PersistOutcome | ClaimHeld:
    """The persist job's work. With `SECKILL_PERSIST_BATCH` 1, its own reservation alone;
    otherwise it claims its ticket plus up to batch - 1 other reservations of the sale nobody
    holds (claim.lua) and writes them in one transaction. Answers for its own ticket."""
    batch = runtime.settings.seckill_persist_batch
    if batch > 1:
        claim = await store.claim(
            runtime.redis, runtime.keys, event_id=event_id, ticket_id=ticket_id, batch=batch,
            lifetime_ms=claim_lifetime_ms(runtime), token=uuid.uuid4().hex,
            defer_jobs=runtime.settings.seckill_enqueue_in_script,
        )  # fmt: skip
        if claim.code is store.ClaimCode.SETTLED:
            return PersistOutcome.ALREADY  # another job's batch (or the reconciler) wrote it
        if claim.code is store.ClaimCode.HELD:
            return ClaimHeld(seconds=claim.held_ms / 1000 + HELD_MARGIN_SECONDS)
        if claim.code is store.ClaimCode.CLAIMED:
            outcomes = await persist_batch(
                runtime, event_id=event_id, entries=claim.entries, own_ticket=ticket_id
            )
            return outcomes[ticket_id]
        # MISSING: the ledger no longer knows the ticket; the job's own arguments do.
    return await persist_reservation(
        runtime, event_id=event_id, ticket_id=ticket_id, user_id=user_id, quantity=quantity,
        reserved_ms=reserved_ms,
    )  # fmt: skip


async def persist_reservation(
    runtime: Runtime,
    *,
    event_id: int,
    ticket_id: str,
    user_id: int,
    quantity: int,
    reserved_ms: int,
) -> PersistOutcome:
    """Write the reservation's order and ticket in one transaction. Running it twice (a retried
    job, the reconciler) is a no-op: the ticket id is the primary key."""
    order: Order | None = None
    for _ in range(PERSIST_ATTEMPTS):
        try:
            outcome, order = await _persist_once(
                runtime, event_id, ticket_id, user_id, quantity, reserved_ms
            )
        except IntegrityError:
            # A concurrent run of the same reservation won, or (rarely) the order number
            # collided with another order's; only the ticket's existence tells them apart.
            found = await SeckillTicket.filter(id=ticket_id).values("status")
            if not found:
                continue
            outcome = PersistOutcome.ALREADY
            failed = found[0]["status"] == TicketStatus.FAILED
        else:
            failed = outcome is PersistOutcome.FAILED
        break
    else:
        raise RuntimeError(f"reservation {ticket_id} kept colliding with other orders")
    if failed:
        # Exactly once per ticket (release.lua), also when this repeats a run that a crash cut
        # short between the FAILED ticket's commit and the release.
        await store.release(
            runtime.redis, runtime.keys, event_id=event_id, ticket_id=ticket_id,
            user_id=user_id, quantity=quantity,
        )  # fmt: skip
        await store.mark_settled(
            runtime.redis, runtime.keys, event_id=event_id, ticket_id=ticket_id, state="failed"
        )
        await publish_ticket_updated(runtime, ticket_id)  # also a repeat's (see below)
        return outcome
    # The ledger entry, the order's expiry job and the announcements: one round trip.
    async with runtime.redis.pipeline(transaction=False) as pipe:
        store.mark_settled_in(
            pipe, runtime.redis, runtime.keys, event_id=event_id, states={ticket_id: "persisted"}
        )
        if order is not None:
            orders.announce_new_order(pipe, runtime, order)
        # Also when ALREADY: this may repeat a run a crash cut short between its commit and
        # this round trip, whose shopper is still waiting for the news (a hint: re-read).
        pipe.publish(runtime.keys.channel(TICKET_TOPIC, ticket_id), ticket_id)
        replies = await pipe.execute(raise_on_error=False)
    for reply in replies[1:]:
        if isinstance(reply, Exception):
            raise reply
    if store.needs_script(replies[0]):
        await store.mark_settled(
            runtime.redis, runtime.keys, event_id=event_id, ticket_id=ticket_id
        )
    return outcome


async def _persist_once(
    runtime: Runtime,
    event_id: int,
    ticket_id: str,
    user_id: int,
    quantity: int,
    reserved_ms: int,
) -> tuple[PersistOutcome, Order | None]:
    timeout = timedelta(seconds=runtime.settings.seckill_payment_timeout_seconds)
    reserved_at = datetime.fromtimestamp(reserved_ms / 1000, UTC)
    async with in_transaction():
        # No "ticket exists?" query first: the ticket's primary key refuses a second run, whose
        # transaction then rolls back (the caller answers ALREADY).
        event = await SeckillEvent.filter(id=event_id).select_related("product").get()
        user = await User.get_or_none(id=user_id)
        if user is None or not user.is_active:
            await SeckillTicket.create(
                id=ticket_id,
                event_id=event_id,
                user_id=user_id,
                quantity=quantity,
                status=TicketStatus.FAILED,
                failure_reason=INACTIVE_REASON,
                reserved_at=reserved_at,
            )
            return PersistOutcome.FAILED, None
        product: Product = event.product
        order = await orders.create_seckill_order(
            user_id=user_id,
            event=event,
            product_name=product.name,
            product_id=product.id,
            currency=product.currency,
            quantity=quantity,
            expires_at=datetime.now(UTC) + timeout,
        )
        await SeckillTicket.create(
            id=ticket_id,
            event_id=event_id,
            user_id=user_id,
            quantity=quantity,
            status=TicketStatus.SUCCEEDED,
            order=order,
            reserved_at=reserved_at,
        )
        await SeckillEvent.filter(id=event_id).update(sold=F("sold") + quantity)
    return PersistOutcome.CREATED, order


@dataclass
class _BatchWrite:
    """What one batch transaction did, for the Redis follow-up after its commit."""

    outcomes: dict[str, PersistOutcome] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)  # ledger entry -> persisted | failed
    orders: list[Order] = field(default_factory=list)  # new: expiry jobs and orderUpdated
    releases: list[store.LedgerEntry] = field(default_factory=list)  # FAILED: units back
    announce: list[str] = field(default_factory=list)  # seckillTicketUpdated (new and repeats)


async def persist_batch(
    runtime: Runtime,
    *,
    event_id: int,
    entries: list[store.LedgerEntry],
    own_ticket: str | None = None,
) -> dict[str, PersistOutcome]:
    """Write many reservations of one sale in ONE transaction: one query for tickets already
    written (those answer ALREADY), one for the buyers' accounts, orders, lines, history and
    tickets in one bulk insert each, and one `sold` update. Then the FAILED tickets' units go
    back on sale (exactly once each) and one pipeline settles the ledger entries, queues the
    new orders' expiry jobs and sends the announcements. The other tickets' persist jobs (all
    but `own_ticket`, the running job's) leave the queue when it is on this Redis (see
    `store.claim`).

    An integrity conflict (a concurrent reconciler or job wrote one of them, or an order number
    collided) rolls the whole batch back; each entry then takes the single path, which is
    idempotent, so nothing is lost or written twice."""
    if len(entries) == 1:
        (entry,) = entries
        return {entry.ticket_id: await _persist_entry(runtime, event_id, entry)}
    try:
        write = await _persist_batch_once(runtime, event_id, entries)
    except IntegrityError:
        logger.info("batch of %d reservations of sale %d conflicted", len(entries), event_id)
        return {e.ticket_id: await _persist_entry(runtime, event_id, e) for e in entries}
    for entry in write.releases:
        await store.release(
            runtime.redis, runtime.keys, event_id=event_id, ticket_id=entry.ticket_id,
            user_id=entry.user_id, quantity=entry.quantity,
        )  # fmt: skip
    async with runtime.redis.pipeline(transaction=False) as pipe:
        store.mark_settled_in(
            pipe, runtime.redis, runtime.keys, event_id=event_id, states=write.states
        )
        for order in write.orders:
            orders.announce_new_order(pipe, runtime, order)
        for ticket_id in write.announce:
            pipe.publish(runtime.keys.channel(TICKET_TOPIC, ticket_id), ticket_id)
        if runtime.settings.seckill_enqueue_in_script:
            store.drop_settled_jobs_in(
                pipe, runtime.keys, [t for t in write.states if t != own_ticket]
            )
        replies = await pipe.execute(raise_on_error=False)
    for reply in replies[1:]:
        if isinstance(reply, Exception):
            raise reply
    if store.needs_script(replies[0]):
        await store.mark_settled_many(
            runtime.redis, runtime.keys, event_id=event_id, states=write.states
        )
    return write.outcomes


async def _persist_entry(
    runtime: Runtime, event_id: int, entry: store.LedgerEntry
) -> PersistOutcome:
    return await persist_reservation(
        runtime, event_id=event_id, ticket_id=entry.ticket_id, user_id=entry.user_id,
        quantity=entry.quantity, reserved_ms=entry.reserved_ms,
    )  # fmt: skip


async def _persist_batch_once(
    runtime: Runtime, event_id: int, entries: list[store.LedgerEntry]
) -> _BatchWrite:
    write = _BatchWrite()
    timeout = timedelta(seconds=runtime.settings.seckill_payment_timeout_seconds)
    async with in_transaction():
        ids = [e.ticket_id for e in entries]
        found = dict(await SeckillTicket.filter(id__in=ids).values_list("id", "status"))
        fresh: list[store.LedgerEntry] = []
        for entry in entries:
            if entry.ticket_id not in found:
                fresh.append(entry)
                continue
            write.outcomes[entry.ticket_id] = PersistOutcome.ALREADY
            write.announce.append(entry.ticket_id)  # a crash may have cut its announcement
            if found[entry.ticket_id] == TicketStatus.FAILED:  # ... or its release
                write.states[entry.ticket_id] = "failed"
                write.releases.append(entry)
            else:
                write.states[entry.ticket_id] = "persisted"
        if not fresh:
            return write
        event = await SeckillEvent.filter(id=event_id).select_related("product").get()
        accounts = User.filter(id__in=sorted({e.user_id for e in fresh}), is_active=True)
        active = {row["id"] for row in await accounts.values("id")}
        buyers = [e for e in fresh if e.user_id in active]
        product: Product = event.product
        made = await orders.create_seckill_orders(
            event=event,
            product_name=product.name,
            product_id=product.id,
            currency=product.currency,
            purchases=[orders.SeckillPurchase(e.user_id, e.quantity) for e in buyers],
            expires_at=datetime.now(UTC) + timeout,
        ) if buyers else []  # fmt: skip
        tickets = [
            SeckillTicket(
                id=e.ticket_id, event_id=event_id, user_id=e.user_id, quantity=e.quantity,
                status=TicketStatus.SUCCEEDED, order_id=order.id, reserved_at=_at(e.reserved_ms),
            )
            for e, order in zip(buyers, made, strict=True)
        ] + [
            SeckillTicket(
                id=e.ticket_id, event_id=event_id, user_id=e.user_id, quantity=e.quantity,
                status=TicketStatus.FAILED, failure_reason=INACTIVE_REASON,
                reserved_at=_at(e.reserved_ms),
            )
            for e in fresh if e.user_id not in active
        ]  # fmt: skip
        # In id order, like every batch: two batches racing for a ticket never deadlock.
        await SeckillTicket.bulk_create(sorted(tickets, key=lambda t: t.id))
        units = sum(e.quantity for e in buyers)
        if units:
            # Last, as in the single path: the sale's row lock is held only until the commit.
            await SeckillEvent.filter(id=event_id).update(sold=F("sold") + units)
    write.orders = made
    for entry in fresh:
        bought = entry.user_id in active
        write.outcomes[entry.ticket_id] = (
            PersistOutcome.CREATED if bought else PersistOutcome.FAILED
        )
        write.states[entry.ticket_id] = "persisted" if bought else "failed"
        write.announce.append(entry.ticket_id)
        if not bought:
            write.releases.append(entry)
    return write


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


# --- reconciliation and closing (worker crons) ----------------------------------------------
@dataclass
class ReconcileReport:
    persisted: int = 0
    released: int = 0
    closed: list[int] = field(default_factory=list)


async def reconcile(runtime: Runtime) -> ReconcileReport:
    """Persist reservations whose job never ran, repeat interrupted releases, close ended sales."""
    report = ReconcileReport()
    older_than = int(time.time() * 1000 - runtime.settings.seckill_reconcile_after_seconds * 1000)
    for event_id in await store.warm_event_ids(runtime.redis, runtime.keys):
        if runtime.settings.seckill_persist_batch == 1:
            report.persisted += await _reconcile_one_by_one(runtime, event_id, older_than)
        else:
            report.persisted += await _reconcile_in_batches(runtime, event_id, older_than)
        released = await SeckillTicket.filter(
            event_id=event_id, status=TicketStatus.SUCCEEDED, order__status__in=RELEASED_STATUSES
        )
        for ticket in released:
            report.released += await store.release(
                runtime.redis, runtime.keys, event_id=event_id, ticket_id=ticket.id,
                user_id=ticket.user_id, quantity=ticket.quantity,  # type: ignore[attr-defined]
            ) == 1  # fmt: skip
        if await close_if_done(runtime, event_id):
            report.closed.append(event_id)
    return report


async def _reconcile_one_by_one(runtime: Runtime, event_id: int, older_than: int) -> int:
    created = 0
    for ticket_id in await store.stale_pending(
        runtime.redis, runtime.keys, event_id, older_than_ms=older_than
    ):
        entry = await store.ledger_entry(runtime.redis, runtime.keys, event_id, ticket_id)
        if entry is None or entry.state != "reserved":
            await store.mark_settled(
                runtime.redis, runtime.keys, event_id=event_id, ticket_id=ticket_id
            )
            continue
        outcome = await persist_reservation(
            runtime, event_id=event_id, ticket_id=ticket_id, user_id=entry.user_id,
            quantity=entry.quantity, reserved_ms=entry.reserved_ms,
        )  # fmt: skip
        created += outcome is PersistOutcome.CREATED
    return created


async def _reconcile_in_batches(runtime: Runtime, event_id: int, older_than: int) -> int:
    """Stale reservations in batches, through the claims the jobs use: entries a live claim
    holds are being written right now and are skipped; a claim older than its lifetime (the
    same SECKILL_RECONCILE_AFTER_SECONDS) belongs to a worker that died and is taken over."""
    batch = runtime.settings.seckill_persist_batch
    stale = await store.stale_count(runtime.redis, runtime.keys, event_id, older_than_ms=older_than)
    created = 0
    for _ in range(-(-stale // batch)):  # bounded: each round settles what it claimed
        claim = await store.claim(
            runtime.redis, runtime.keys, event_id=event_id, ticket_id=None, batch=batch,
            lifetime_ms=claim_lifetime_ms(runtime), token=uuid.uuid4().hex,
            reserved_until_ms=older_than, defer_jobs=runtime.settings.seckill_enqueue_in_script,
        )  # fmt: skip
        if not claim.entries:
            break
        outcomes = await persist_batch(runtime, event_id=event_id, entries=claim.entries)
        created += sum(o is PersistOutcome.CREATED for o in outcomes.values())
    return created


async def close_if_done(runtime: Runtime, event_id: int) -> bool:
    """An ended sale with nothing left in flight returns its unsold units to the product."""
    event = await SeckillEvent.get_or_none(id=event_id)
    if event is None or event.closed_at is not None or datetime.now(UTC) < event.ends_at:
        return False
    if await store.pending_count(runtime.redis, runtime.keys, event_id):
        return False
    async with in_transaction():
        closed = await SeckillEvent.filter(id=event_id, closed_at__isnull=True).update(
            closed_at=datetime.now(UTC)
        )
        if not closed:
            return False
        fresh = await SeckillEvent.get(id=event_id)
        await catalog.increment_stock(fresh.product_id, fresh.total_stock - fresh.sold)  # type: ignore[attr-defined]
    await catalog.invalidate_products(runtime, [fresh.product_id])  # type: ignore[attr-defined]
    await store.forget(runtime.redis, runtime.keys, event_id, after_seconds=CLOSED_KEYS_TTL)
    await publish_event_updated(runtime, event_id)
    return True


async def close_ended_cold(runtime: Runtime) -> int:
    """Close ended sales that were never warmed (nothing in Redis to wait for)."""
    now = datetime.now(UTC)
    ended = await SeckillEvent.filter(ends_at__lte=now, closed_at__isnull=True).only("id")
    return sum([await close_if_done(runtime, e.id) for e in ended])


# --- live figures ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LiveStats:
    """What the control room charts, read fresh: cheap enough to ask for every second."""

    event_id: int
    tickets_queued: int  # reserved in Redis, not yet written by the worker
    tickets_succeeded: int
    tickets_failed: int
    attempts: list[tuple[int, int]]  # (unix second, buy attempts), oldest first


MAX_STATS_SECONDS = 600


async def live_stats(runtime: Runtime, event_id: int, *, seconds: int = 60) -> LiveStats:
    """Ticket counts and the buy attempts of the last `seconds` (clamped to 1..600) seconds."""
    seconds = max(1, min(seconds, MAX_STATS_SECONDS))
    if not await SeckillEvent.exists(id=event_id):
        raise _fail(ErrorCode.NOT_FOUND, "No such flash sale", "id")
    redis, keys = runtime.redis, runtime.keys
    tickets = SeckillTicket.filter(event_id=event_id)
    return LiveStats(
        event_id=event_id,
        tickets_queued=await store.pending_count(redis, keys, event_id),
        tickets_succeeded=await tickets.filter(status=TicketStatus.SUCCEEDED).count(),
        tickets_failed=await tickets.filter(status=TicketStatus.FAILED).count(),
        attempts=await store.attempts_in_last(redis, keys, event_id, seconds=seconds),
    )


# --- audit ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditCheck:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class AuditReport:
    event_id: int
    total_stock: int
    remaining: int
    pending: int
    sold: int
    orders: int
    tickets_succeeded: int
    tickets_failed: int
    oversold: int
    undersold: int
    max_per_user: int
    checks: list[AuditCheck]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


async def audit(runtime: Runtime, event_id: int) -> AuditReport:
    """Compare Redis stock, the ledger and the database; every invariant with pass/fail."""
    event = await SeckillEvent.get_or_none(id=event_id)
    if event is None:
        raise _fail(ErrorCode.NOT_FOUND, "No such flash sale", "id")
    redis, keys = runtime.redis, runtime.keys
    warm = await store.is_warm(redis, keys, event_id)
    states = await store.read_states(redis, keys, [event_id])
    entries = await store.ledger(redis, keys, event_id)
    pending = sum(e.quantity for e in entries if e.state == "reserved")
    live = await _live_tickets(event_id)
    sold = sum(t.quantity for t in live)
    remaining = states[event_id].remaining if event_id in states else event.total_stock - event.sold
    succeeded = await SeckillTicket.filter(event_id=event_id, status=TicketStatus.SUCCEEDED).count()
    failed = await SeckillTicket.filter(event_id=event_id, status=TicketStatus.FAILED).count()
    order_count = await Order.filter(seckill_event_id=event_id).count()
    persisted_ids = {t.id for t in await SeckillTicket.filter(event_id=event_id).only("id")}
    lost = [e for e in entries if e.state != "reserved" and e.ticket_id not in persisted_ids]
    per_user: dict[int, int] = defaultdict(int)
    for ticket in live:
        per_user[ticket.user_id] += ticket.quantity  # type: ignore[attr-defined]
    max_user = max(per_user.values(), default=0)
    redis_buyers = await store.buyers(redis, keys, event_id)
    oversold = max(0, sold + pending - event.total_stock)
    undersold = len(lost) + (max(0, event.total_stock - sold - pending - remaining) if warm else 0)
    checks = [
        AuditCheck(
            "sold + remaining == totalStock",
            sold + pending + remaining == event.total_stock,
            f"{sold} sold + {pending} in flight + {remaining} remaining vs {event.total_stock}",
        ),
        AuditCheck(
            "orders == persisted reservations",
            order_count == succeeded and not lost,
            f"{order_count} orders, {succeeded} succeeded tickets, {len(lost)} lost ledger entries",
        ),
        AuditCheck(
            "no user above perUserLimit",
            max_user <= event.per_user_limit
            and all(v <= event.per_user_limit for v in redis_buyers.values()),
            f"most held by one user: {max_user} (limit {event.per_user_limit})",
        ),
        AuditCheck(
            "database counter matches orders",
            event.sold == sold,
            f"event.sold {event.sold} vs {sold} units in live orders",
        ),
    ]
    return AuditReport(
        event_id=event_id, total_stock=event.total_stock, remaining=remaining, pending=pending,
        sold=sold, orders=order_count, tickets_succeeded=succeeded, tickets_failed=failed,
        oversold=oversold, undersold=undersold, max_per_user=max_user, checks=checks,
    )  # fmt: skip


# --- announcements --------------------------------------------------------------------------
async def publish_ticket_updated(runtime: Runtime, ticket_id: str) -> None:
    await runtime.redis.publish(runtime.keys.channel(TICKET_TOPIC, ticket_id), ticket_id)


async def publish_event_updated(runtime: Runtime, event_id: int) -> None:
    await runtime.redis.publish(runtime.keys.channel(EVENT_TOPIC, str(event_id)), str(event_id))
