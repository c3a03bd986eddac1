"""arq jobs of flash sales: persisting reservations, warm-up, waiting rooms and the reconciler."""

from __future__ import annotations

from typing import Any

from arq import Retry

from flashmart.core.runtime import deps
from flashmart.seckill import audit, events, persist, reconcile, room


async def persist_reservation(
    ctx: dict[str, Any],
    event_id: int,
    ticket_id: str,
    user_id: int,
    quantity: int,
    reserved_ms: int,
) -> str:
    """Enqueued by the reservation script itself (JSON job, job id = ticket id). Persists its
    reservation, usually in a batch with others (`SECKILL_PERSIST_BATCH`); when another
    worker's batch holds it, runs again once that claim would have lapsed."""
    result = await persist.persist_job(
        deps(ctx),
        event_id=event_id,
        ticket_id=ticket_id,
        user_id=user_id,
        quantity=quantity,
        reserved_ms=reserved_ms,
    )
    if isinstance(result, persist.ClaimHeld):
        raise Retry(defer=result.seconds)
    return result.value


async def warm_upcoming_events(ctx: dict[str, Any]) -> int:
    return await events.warm_upcoming(deps(ctx))


async def admit_waiting_rooms(ctx: dict[str, Any]) -> dict[str, int]:
    """Every second: draw and admit in every warm waiting-room sale (`room.tick`)."""
    return await room.tick(deps(ctx))


async def reconcile_reservations(ctx: dict[str, Any]) -> dict[str, object]:
    runtime = deps(ctx)
    report = await reconcile.reconcile(runtime)
    closed_cold = await reconcile.close_ended_cold(runtime)
    return {
        "persisted": report.persisted,
        "released": report.released,
        "closed": [*report.closed, closed_cold],
        "failed": report.failed,
    }


async def persist_lost_reservations(ctx: dict[str, Any]) -> int:
    """Cron, every second while the queue is on its own Redis: reservations whose job was
    never queued (`reconcile.persist_lost`)."""
    return await reconcile.persist_lost(deps(ctx))


async def audit_ended_sales(ctx: dict[str, Any]) -> dict[str, int]:
    """Cron: audit the sales that ended in the last day (seckill/audit.py `audit_ended`)."""
    return await audit.audit_ended(deps(ctx))
