"""Writing reservations as orders (the worker): in batches, idempotently, exactly once.

One path for every writer. A persist job claims its own reservation plus up to
`SECKILL_PERSIST_BATCH - 1` others of the sale nobody holds (`SaleStore.claim`, claim.lua);
with a batch size of 1 it claims its own alone. `persist_batch` writes whatever was claimed in
ONE transaction (a single reservation is a batch of one), then `settle` does the Redis side
after the commit: units of FAILED tickets go back on sale, and one pipeline settles the ledger
entries, queues the new orders' expiry jobs and announces. The reconciler (`reconcile.py`)
persists through the same claims and the same `persist_batch`.

The ticket id is the primary key of `SeckillTicket`: a second write of the same reservation (a
retried job, a racing batch, the reconciler) finds it, or fails on it and rolls back, and
answers ALREADY. Nothing is lost or written twice.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from flashmart.accounts.models import User
from flashmart.catalog.models import Product
from flashmart.core import metrics, tracing
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order
from flashmart.seckill.announce import ticket_updated_in
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.store import ClaimCode, LedgerEntry, SaleStore, needs_script

logger = logging.getLogger(__name__)


class PersistOutcome(StrEnum):
    CREATED = "created"
    ALREADY = "already"
    FAILED = "failed"


INACTIVE_REASON = "The account is no longer active"
# The database refused the units (`sold` would pass `total_stock`, or the sale had closed):
# Redis promised a unit the sale did not have. Such a ticket gives no unit back to Redis.
NO_ROOM_REASON = "Sold out: the sale had no unit left for this reservation"
CLOSED_REASON = "The sale closed before this reservation was written"
REFUSED_REASONS = (NO_ROOM_REASON, CLOSED_REASON)
PERSIST_ATTEMPTS = 5  # a rare order-number collision rolls a write of one back: try again
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
    """The persist job's work: claim its ticket (and up to batch - 1 others), write them in
    one transaction, settle them. Answers for its own ticket."""
    settings = runtime.settings
    claim = await SaleStore.of(runtime).claim(
        event_id=event_id, ticket_id=ticket_id, batch=settings.seckill_persist_batch,
        lifetime_ms=claim_lifetime_ms(runtime), token=uuid.uuid4().hex,
        defer_jobs=settings.enqueues_in_script,
    )  # fmt: skip
    if claim.code is ClaimCode.SETTLED:
        return PersistOutcome.ALREADY  # another job's batch (or the reconciler) wrote it
    if claim.code is ClaimCode.HELD:
        return ClaimHeld(seconds=claim.held_ms / 1000 + HELD_MARGIN_SECONDS)
    if claim.code is ClaimCode.MISSING:  # the ledger no longer knows the ticket; the job does
        return await persist_reservation(
            runtime, event_id=event_id, ticket_id=ticket_id, user_id=user_id,
            quantity=quantity, reserved_ms=reserved_ms,
        )  # fmt: skip
    outcomes = await persist_batch(
        runtime, event_id=event_id, entries=claim.entries, own_ticket=ticket_id
    )
    return outcomes[ticket_id]


async def persist_reservation(
    runtime: Runtime,
    *,
    event_id: int,
    ticket_id: str,
    user_id: int,
    quantity: int,
    reserved_ms: int,
) -> PersistOutcome:
    """Persist one reservation from its own figures, without a claim: a batch of one."""
    entry = LedgerEntry(ticket_id, user_id, quantity, reserved_ms, "reserved")
    outcomes = await persist_batch(
        runtime, event_id=event_id, entries=[entry], own_ticket=ticket_id
    )
    return outcomes[ticket_id]


class NoRoom(Exception):
    """The conditional `sold` increment matched no row: the sale is closed, or the batch's
    units would take `sold` past `total_stock`. The transaction rolls back."""


@dataclass
class BatchWrite:
    """What one persist transaction did, for `settle` after its commit."""

    outcomes: dict[str, PersistOutcome] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)  # ledger entry -> persisted | failed
    orders: list[Order] = field(default_factory=list)  # new: expiry jobs and orderUpdated
    releases: list[LedgerEntry] = field(default_factory=list)  # FAILED: units back
    announce: list[str] = field(default_factory=list)  # seckillTicketUpdated (new and repeats)


async def persist_batch(
    runtime: Runtime,
    *,
    event_id: int,
    entries: list[LedgerEntry],
    own_ticket: str | None = None,
) -> dict[str, PersistOutcome]:
    """Write reservations of one sale in ONE transaction (`write`), then `settle` them. The
    persist jobs of the settled tickets other than `own_ticket` (the running job's) leave the
    queue (on its own Redis with QUEUE_REDIS_URL).

    An integrity conflict in a batch of several (a concurrent reconciler or job wrote one of
    them, or an order number collided) rolls the whole batch back; each entry is then written
    as a batch of one, which is idempotent, so nothing is lost or written twice."""
    try:
        if tracing.tracer is None:
            done = await write(runtime, event_id, entries)
        else:  # the transaction (asyncpg's instrumentation adds its statements on PostgreSQL)
            done = await tracing.in_span(
                "seckill.persist.transaction",
                write(runtime, event_id, entries),
                attributes={
                    "flashmart.seckill.event_id": event_id,
                    "flashmart.batch": len(entries),
                },
            )
    except (IntegrityError, NoRoom) as refused:
        logger.info(
            "batch of %d reservations of sale %d %s", len(entries), event_id,
            "found no room" if isinstance(refused, NoRoom) else "conflicted",
        )  # fmt: skip
        outcomes: dict[str, PersistOutcome] = {}
        for entry in entries:
            outcomes |= await persist_batch(
                runtime, event_id=event_id, entries=[entry], own_ticket=own_ticket
            )
        return outcomes
    await settle(runtime, event_id, done, own_ticket=own_ticket)
    _count(entries, done.outcomes)
    return done.outcomes


_PERSISTED = {
    outcome: metrics.SECKILL_PERSISTED.labels(outcome.value) for outcome in PersistOutcome
}


def _count(entries: list[LedgerEntry], outcomes: dict[str, PersistOutcome]) -> None:
    """`flashmart_seckill_orders_persisted_total` and, for each new order, the persist lag."""
    now_ms = time.time() * 1000
    for entry in entries:
        outcome = outcomes.get(entry.ticket_id)
        if outcome is None:
            continue
        _PERSISTED[outcome].inc()
        if outcome is PersistOutcome.CREATED:
            metrics.SECKILL_PERSIST_LAG.observe(max(0.0, (now_ms - entry.reserved_ms) / 1000))


async def write(runtime: Runtime, event_id: int, entries: list[LedgerEntry]) -> BatchWrite:
    """The transaction of `persist_batch`. A batch of one tries again after an integrity
    conflict: the next attempt finds the ticket a concurrent run wrote (ALREADY), or draws a
    new order number after a collision. A batch of several raises it, and raises `NoRoom`;
    a batch of one the sale has no room for becomes a FAILED ticket (`_write_refused`)."""
    for _ in range(PERSIST_ATTEMPTS):
        try:
            return await _write_once(runtime, event_id, entries)
        except IntegrityError:
            if len(entries) > 1:
                raise
        except NoRoom:
            if len(entries) > 1:
                raise
            return await _write_refused(runtime, event_id, entries[0])
    raise RuntimeError(f"reservation {entries[0].ticket_id} kept colliding with other orders")


async def _write_once(runtime: Runtime, event_id: int, entries: list[LedgerEntry]) -> BatchWrite:
    """One query for tickets already written (those answer ALREADY), one for the buyers'
    accounts, orders, lines, history and tickets in one bulk insert each, one `sold` update."""
    done = BatchWrite()
    timeout = timedelta(seconds=runtime.settings.seckill_payment_timeout_seconds)
    async with in_transaction():
        ids = [e.ticket_id for e in entries]
        found = {
            ticket_id: (status, reason)
            for ticket_id, status, reason in await SeckillTicket.filter(id__in=ids).values_list(
                "id", "status", "failure_reason"
            )
        }
        fresh: list[LedgerEntry] = []
        for entry in entries:
            if entry.ticket_id not in found:
                fresh.append(entry)
                continue
            done.outcomes[entry.ticket_id] = PersistOutcome.ALREADY
            done.announce.append(entry.ticket_id)  # a crash may have cut its announcement
            status, reason = found[entry.ticket_id]
            if status == TicketStatus.FAILED:  # ... or its release
                done.states[entry.ticket_id] = "failed"
                if reason not in REFUSED_REASONS:  # a refused one never held a unit
                    done.releases.append(entry)
            else:
                done.states[entry.ticket_id] = "persisted"
        if not fresh:
            return done
        event = await SeckillEvent.filter(id=event_id).select_related("product").get()
        accounts = User.filter(id__in=sorted({e.user_id for e in fresh}), is_active=True)
        active = {row["id"] for row in await accounts.values("id")}
        buyers = [e for e in fresh if e.user_id in active]
        product: Product = event.product
        made = await orders.create_orders(
            [
                orders.OrderDraft(
                    user_id=e.user_id, currency=product.currency, seckill_event_id=event.id,
                    lines=[orders.LineDraft(product.id, product.name, event.price, e.quantity)],
                )
                for e in buyers
            ],
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
            # Last: the sale's row lock is held only until the commit. Conditional, like the
            # database's CHECK (sold <= total_stock): a sale never counts more than it has,
            # nor anything once closed (its unsold units went back to the product).
            counted = await SeckillEvent.filter(
                id=event_id, closed_at__isnull=True, sold__lte=F("total_stock") - units
            ).update(sold=F("sold") + units)
            if not counted:
                raise NoRoom(event_id)
    done.orders = made
    for entry in fresh:
        bought = entry.user_id in active
        done.outcomes[entry.ticket_id] = PersistOutcome.CREATED if bought else PersistOutcome.FAILED
        done.states[entry.ticket_id] = "persisted" if bought else "failed"
        done.announce.append(entry.ticket_id)
        if not bought:
            done.releases.append(entry)
    return done


async def _write_refused(runtime: Runtime, event_id: int, entry: LedgerEntry) -> BatchWrite:
    """A reservation the database has no room for: a FAILED ticket without an order, whose
    unit is not given back to Redis (the sale never had it). Only reached when Redis promised
    more than the sale holds (reservations lost with Redis data, a late job after the close);
    logged as an error, and the shopper's ticket says why."""
    event = await SeckillEvent.get(id=event_id)
    reason = CLOSED_REASON if event.closed_at is not None else NO_ROOM_REASON
    try:
        await SeckillTicket.create(
            id=entry.ticket_id, event_id=event_id, user_id=entry.user_id,
            quantity=entry.quantity, status=TicketStatus.FAILED, failure_reason=reason,
            reserved_at=_at(entry.reserved_ms),
        )  # fmt: skip
    except IntegrityError:  # a concurrent writer got the ticket in first: it answers ALREADY
        return await _write_once(runtime, event_id, [entry])
    logger.error("sale %d had no room for reservation %s: %s", event_id, entry.ticket_id, reason)
    done = BatchWrite()
    done.outcomes[entry.ticket_id] = PersistOutcome.FAILED
    done.states[entry.ticket_id] = "failed"
    done.announce.append(entry.ticket_id)
    return done


async def settle(
    runtime: Runtime, event_id: int, done: BatchWrite, *, own_ticket: str | None
) -> None:
    """The Redis side of a committed write, for every path: the FAILED tickets' units go back
    on sale (exactly once each, release.lua), then ONE pipeline settles the ledger entries,
    queues the new orders' expiry jobs, announces the orders and the tickets (repeats too:
    this may follow a run a crash cut short between its commit and this step, whose shopper
    still waits for the news) and drops the persist jobs of a batch's other tickets."""
    sales = SaleStore.of(runtime)
    for entry in done.releases:
        await sales.release(
            event_id=event_id, ticket_id=entry.ticket_id, user_id=entry.user_id,
            quantity=entry.quantity,
        )  # fmt: skip
    async with runtime.redis.pipeline(transaction=False) as pipe:
        jobs = orders.job_pipeline(runtime)  # the queue's own Redis, if it has one
        sales.settle_in(pipe, event_id=event_id, states=done.states)
        for order in done.orders:
            orders.announce_new_order(pipe, runtime, order, jobs=jobs)
        for ticket_id in done.announce:
            ticket_updated_in(pipe, runtime.keys, ticket_id)
        if len(done.states) > 1:
            # A batch's companions: their jobs would only answer ALREADY (or, with the queue
            # apart, where the claim cannot put them off, wait for it to lapse first). A batch
            # of one leaves its job alone (the running one, or one that retries and answers so).
            companions = [t for t in done.states if t != own_ticket]
            sales.drop_settled_jobs_in(pipe if jobs is None else jobs, companions)
        if tracing.tracer is None:
            replies = await pipe.execute(raise_on_error=False)
        else:  # the round trip with the messages that tell the shoppers (core/tracing.py)
            replies = await tracing.in_span(
                "seckill.persist.settle",
                pipe.execute(raise_on_error=False),
                attributes={"flashmart.announced": len(done.announce)},
            )
    for reply in replies[1:]:
        if isinstance(reply, Exception):
            raise reply
    if needs_script(replies[0]):
        await sales.settle(event_id=event_id, states=done.states)
    if jobs is not None and len(jobs):  # on the queue's own Redis; should this fail, the
        await jobs.execute()  # sweep cron expires the orders, and the companions' jobs answer


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)
