"""What a sale looks like from the inside: live figures for the control room and the audit
that compares Redis stock, the reservation ledger and the database, invariant by invariant.

The worker audits every sale that ended in the last `AUDIT_WINDOW` once a minute
(`audit_ended`, the cron `audit_ended_sales`) and publishes how many fail each check
(`flashmart_seckill_audit_failing_sales{check}`, the FlashMartSaleAuditFailing alert)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flashmart.core import metrics
from flashmart.core.errors import ErrorCode
from flashmart.core.i18n import text
from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order
from flashmart.seckill.draw import admission_order
from flashmart.seckill.events import fail, live_tickets
from flashmart.seckill.models import AdmissionMode, SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.room import DrawRecord, RoomStore
from flashmart.seckill.store import LedgerEntry, SaleStore


@dataclass(frozen=True)
class LiveStats:
    """What the control room charts, read fresh: cheap enough to ask for every second."""

    event_id: int
    tickets_queued: int  # reserved in Redis, not yet written by the worker
    tickets_succeeded: int
    tickets_failed: int
    attempts: list[tuple[int, int]]  # (unix second, buy attempts), oldest first


MAX_STATS_SECONDS = 600
AUDIT_WINDOW = timedelta(days=1)  # ended sales are audited this long after their end

logger = logging.getLogger(__name__)


async def live_stats(runtime: Runtime, event_id: int, *, seconds: int = 60) -> LiveStats:
    """Ticket counts and the buy attempts of the last `seconds` (clamped to 1..600) seconds."""
    seconds = max(1, min(seconds, MAX_STATS_SECONDS))
    if not await SeckillEvent.exists(id=event_id):
        raise fail(ErrorCode.NOT_FOUND, text("No such flash sale"), "id")
    sales = SaleStore.of(runtime)
    tickets = SeckillTicket.filter(event_id=event_id)
    return LiveStats(
        event_id=event_id,
        tickets_queued=await sales.pending_count(event_id),
        tickets_succeeded=await tickets.filter(status=TicketStatus.SUCCEEDED).count(),
        tickets_failed=await tickets.filter(status=TicketStatus.FAILED).count(),
        attempts=await sales.attempts_in_last(event_id, seconds=seconds),
    )


@dataclass(frozen=True)
class AuditCheck:
    key: str  # the metric's `check` label (metrics.AUDIT_CHECKS)
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
        raise fail(ErrorCode.NOT_FOUND, text("No such flash sale"), "id")
    sales = SaleStore.of(runtime)
    warm = await sales.is_warm(event_id)
    states = await sales.read_states([event_id])
    entries = await sales.ledger(event_id)
    # A reservation whose order is committed but whose ledger entry still reads "reserved"
    # (Redis went away between the worker's commit and its settle; the job's retry settles
    # it) is sold, not in flight: counting it twice would report a stock imbalance.
    committed = {
        t.id
        for t in await SeckillTicket.filter(event_id=event_id, status=TicketStatus.SUCCEEDED).only(
            "id"
        )
    }
    unsettled = [e for e in entries if e.state == "reserved" and e.ticket_id in committed]
    pending = sum(
        e.quantity for e in entries if e.state == "reserved" and e.ticket_id not in committed
    )
    live = await live_tickets(event_id)
    sold = sum(t.quantity for t in live)
    remaining = states[event_id].remaining if event_id in states else event.total_stock - event.sold
    succeeded = await SeckillTicket.filter(event_id=event_id, status=TicketStatus.SUCCEEDED).count()
    failed = await SeckillTicket.filter(event_id=event_id, status=TicketStatus.FAILED).count()
    order_count = await Order.filter(seckill_event_id=event_id).count()
    persisted_ids = {t.id for t in await SeckillTicket.filter(event_id=event_id).only("id")}
    lost = [e for e in entries if e.state != "reserved" and e.ticket_id not in persisted_ids]
    per_user: dict[int, int] = defaultdict(int)
    for ticket in live:
        per_user[ticket.user_id] += ticket.quantity
    max_user = max(per_user.values(), default=0)
    redis_buyers = await sales.buyers(event_id)
    oversold = max(0, sold + pending - event.total_stock)
    undersold = len(lost) + (max(0, event.total_stock - sold - pending - remaining) if warm else 0)
    checks = [
        AuditCheck(
            "stock",
            "sold + remaining == totalStock",
            sold + pending + remaining == event.total_stock,
            f"{sold} sold + {pending} in flight + {remaining} remaining vs {event.total_stock}"
            + (f" ({len(unsettled)} sold awaiting their ledger settle)" if unsettled else ""),
        ),
        AuditCheck(
            "orders",
            "orders == persisted reservations",
            order_count == succeeded and not lost,
            f"{order_count} orders, {succeeded} succeeded tickets, {len(lost)} lost ledger entries",
        ),
        AuditCheck(
            "per_user_limit",
            "no user above perUserLimit",
            max_user <= event.per_user_limit
            and all(v <= event.per_user_limit for v in redis_buyers.values()),
            f"most held by one user: {max_user} (limit {event.per_user_limit})",
        ),
        AuditCheck(
            "sold_counter",
            "database counter matches orders",
            event.sold == sold,
            f"event.sold {event.sold} vs {sold} units in live orders",
        ),
    ]
    if event.admission_mode is AdmissionMode.WAITING_ROOM:
        checks += await room_checks(runtime, event, entries)
    return AuditReport(
        event_id=event_id, total_stock=event.total_stock, remaining=remaining, pending=pending,
        sold=sold, orders=order_count, tickets_succeeded=succeeded, tickets_failed=failed,
        oversold=oversold, undersold=undersold, max_per_user=max_user, checks=checks,
    )  # fmt: skip


def verify_record(record: DrawRecord, published_seed: str | None) -> AuditCheck:
    """The draw re-run from the published seed (seckill/draw.py) against what Redis holds:
    the drawn order and the admissions so far."""
    key, name = "room_draw", "admitted order equals the published draw"
    if record.seed is None:
        return AuditCheck(
            key, name, not record.admitted, f"not drawn; {len(record.admitted)} admitted"
        )
    if published_seed != record.seed:
        return AuditCheck(key, name, False, f"published seed {published_seed} is not the draw's")
    expected = admission_order(record.joined, record.window, record.seed)
    drawn_ok = record.order == expected[: record.window]
    admitted_ok = record.admitted == expected[: len(record.admitted)]
    return AuditCheck(
        key,
        name,
        drawn_ok and admitted_ok,
        f"seed {record.seed}: {record.window} drawn ({'same' if drawn_ok else 'DIFFERENT'}), "
        f"{len(record.admitted)} admitted in that order: {'yes' if admitted_ok else 'NO'}",
    )


async def verify_draw(runtime: Runtime, event_id: int) -> AuditCheck:
    """`flashmart seckill verify-draw`: the published seed reproduces the room's order."""
    event = await SeckillEvent.get_or_none(id=event_id)
    if event is None:
        raise fail(ErrorCode.NOT_FOUND, text("No such flash sale"), "id")
    return verify_record(await RoomStore.of(runtime).record(event_id), event.draw_seed)


async def room_checks(
    runtime: Runtime, event: SeckillEvent, entries: list[LedgerEntry]
) -> list[AuditCheck]:
    """A waiting room's invariants: every reservation used its shopper's grant, no grant was
    used twice, and the admissions follow the published draw."""
    record = await RoomStore.of(runtime).record(event.id)
    reservations = {e.ticket_id: e.user_id for e in entries}
    for ticket_id, user_id in await SeckillTicket.filter(event_id=event.id).values_list(
        "id", "user_id"
    ):
        reservations[ticket_id] = user_id
    admitted = set(record.admitted)
    ungranted = [t for t, u in reservations.items() if u not in admitted or record.used.get(u) != t]
    per_user: dict[int, int] = defaultdict(int)
    for user_id in reservations.values():
        per_user[user_id] += 1
    reused = [u for u, n in per_user.items() if n > 1]
    twice = len(record.admitted) - len(admitted)
    return [
        AuditCheck(
            "room_grant",
            "no reservation without a grant",
            not ungranted,
            f"{len(reservations)} reservations, {len(ungranted)} without their shopper's grant",
        ),
        AuditCheck(
            "room_grant_reuse",
            "no grant used twice",
            not reused and twice == 0,
            f"{len(reused)} shoppers with more than one reservation, "
            f"{twice} admitted more than once",
        ),
        verify_record(record, event.draw_seed),
    ]


async def audit_ended(runtime: Runtime) -> dict[str, int]:
    """Audit every sale that ended within `AUDIT_WINDOW` and has nothing in flight (the
    reconciler persists that first); set the audit gauges and log each failing check.
    Returns how many sales fail each check (`error`: the audit itself raised)."""
    now = datetime.now(UTC)
    ended = await SeckillEvent.filter(ends_at__lte=now, ends_at__gte=now - AUDIT_WINDOW).only("id")
    sales = SaleStore.of(runtime)
    failing = dict.fromkeys(metrics.AUDIT_CHECKS, 0)
    audited = 0
    for event in sorted(ended, key=lambda e: e.id):
        try:
            if await sales.pending_count(event.id):
                continue
            report = await audit(runtime, event.id)
        except Exception:
            logger.exception("auditing flash sale %d failed; the others go on", event.id)
            failing["error"] += 1
            continue
        audited += 1
        for check in report.checks:
            if not check.passed:
                failing[check.key] += 1
                logger.error(
                    "flash sale %d fails its audit: %s (%s)", event.id, check.name, check.detail
                )
    for key, count in failing.items():
        metrics.SECKILL_AUDIT_FAILING.labels(key).set(count)
    metrics.SECKILL_AUDITED.set(audited)
    return failing
