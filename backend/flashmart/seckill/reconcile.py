"""Repair and closing (worker crons): persist reservations whose job never ran, repeat
interrupted releases, and close ended sales, returning their unsold units to the product."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from flashmart.catalog import services as catalog
from flashmart.core import metrics
from flashmart.core.runtime import Runtime
from flashmart.seckill.announce import publish_event_updated
from flashmart.seckill.events import RELEASED_STATUSES
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.persist import PersistOutcome, claim_lifetime_ms, persist_batch
from flashmart.seckill.store import SaleStore

CLOSED_KEYS_TTL = 86_400

logger = logging.getLogger(__name__)


@dataclass
class ReconcileReport:
    persisted: int = 0
    released: int = 0
    closed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)  # sales whose repair raised (logged)


async def reconcile(runtime: Runtime) -> ReconcileReport:
    """Persist reservations whose job never ran, repeat interrupted releases, close ended sales.

    Each sale on its own: one that fails (its row gone, a corrupt ledger entry, a bug) is
    logged with its traceback and listed in `failed`, and the others are still repaired; the
    next run tries it again."""
    report = ReconcileReport()
    sales = SaleStore.of(runtime)
    older_than = int(time.time() * 1000 - runtime.settings.seckill_reconcile_after_seconds * 1000)
    for event_id in await sales.warm_event_ids():
        try:
            await _reconcile_sale(runtime, event_id, older_than, report)
        except Exception:
            logger.exception("reconciling flash sale %d failed; the others go on", event_id)
            report.failed.append(event_id)
    _count_repairs(persisted=report.persisted, released=report.released,
                   closed=len(report.closed), failed=len(report.failed))  # fmt: skip
    return report


async def persist_lost(runtime: Runtime) -> int:
    """The queue on its own Redis (QUEUE_REDIS_URL): the API enqueues each persist job after
    the script, so a crash or a queue outage between the two loses the job. Every second (the
    worker's `persist_lost_reservations` cron) this persists, through the same claims, the
    reservations older than SECKILL_LOST_ENQUEUE_AFTER_SECONDS: only Redis reads unless one
    is found. A job that does arrive late then finds its ticket settled."""
    older_than = int(
        time.time() * 1000 - runtime.settings.seckill_lost_enqueue_after_seconds * 1000
    )
    persisted = 0
    for event_id in await SaleStore.of(runtime).warm_event_ids():
        try:
            persisted += await _persist_stale(runtime, event_id, older_than)
        except Exception:
            logger.exception("persisting lost reservations of sale %d failed", event_id)
    _count_repairs(persisted=persisted)
    return persisted


def _count_repairs(**kinds: int) -> None:
    for kind, count in kinds.items():
        if count:
            metrics.SECKILL_REPAIRS.labels(kind).inc(count)


async def _reconcile_sale(
    runtime: Runtime, event_id: int, older_than: int, report: ReconcileReport
) -> None:
    sales = SaleStore.of(runtime)
    report.persisted += await _persist_stale(runtime, event_id, older_than)
    released = await SeckillTicket.filter(
        event_id=event_id, status=TicketStatus.SUCCEEDED, order__status__in=RELEASED_STATUSES
    )
    for ticket in released:
        report.released += await sales.release(
            event_id=event_id, ticket_id=ticket.id, user_id=ticket.user_id,
            quantity=ticket.quantity,
        ) == 1  # fmt: skip
    if await close_if_done(runtime, event_id):
        report.closed.append(event_id)


async def _persist_stale(runtime: Runtime, event_id: int, older_than: int) -> int:
    """Stale reservations in batches, through the claims the jobs use: entries a live claim
    holds are being written right now and are skipped; a claim older than its lifetime (the
    same SECKILL_RECONCILE_AFTER_SECONDS) belongs to a worker that died and is taken over."""
    sales = SaleStore.of(runtime)
    batch = runtime.settings.seckill_persist_batch
    stale = await sales.stale_count(event_id, older_than_ms=older_than)
    created = 0
    for _ in range(-(-stale // batch)):  # bounded: each round settles what it claimed
        claim = await sales.claim(
            event_id=event_id, ticket_id=None, batch=batch,
            lifetime_ms=claim_lifetime_ms(runtime), token=uuid.uuid4().hex,
            reserved_until_ms=older_than, defer_jobs=runtime.settings.enqueues_in_script,
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
    sales = SaleStore.of(runtime)
    if await sales.pending_count(event_id):
        return False
    async with in_transaction():
        closed = await SeckillEvent.filter(id=event_id, closed_at__isnull=True).update(
            closed_at=datetime.now(UTC)
        )
        if not closed:
            return False
        fresh = await SeckillEvent.get(id=event_id)
        await catalog.increment_stock(fresh.product_id, fresh.total_stock - fresh.sold)
    await catalog.invalidate_products(runtime, [fresh.product_id])
    await sales.forget(event_id, after_seconds=CLOSED_KEYS_TTL)
    await publish_event_updated(runtime, event_id)
    return True


async def close_ended_cold(runtime: Runtime) -> int:
    """Close ended sales that were never warmed (nothing in Redis to wait for)."""
    now = datetime.now(UTC)
    ended = await SeckillEvent.filter(ends_at__lte=now, closed_at__isnull=True).only("id")
    closed = 0
    for event in ended:
        try:
            closed += await close_if_done(runtime, event.id)
        except Exception:  # one sale's failure never keeps the others open
            logger.exception("closing flash sale %d failed; the others go on", event.id)
    _count_repairs(closed=closed)
    return closed
