from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from flashmart.core.errors import DomainFailure
from flashmart.graphql.context import Info
from flashmart.graphql.ids import decode_id
from flashmart.graphql.pagination import Connection, paginate
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated
from flashmart.graphql.seckill.types import SeckillEvent, SeckillStatus, SeckillTicket
from flashmart.seckill.audit import audit, live_stats
from flashmart.seckill.buy import ticket_for
from flashmart.seckill.events import events_queryset, get_event


@strawberry.input
class SeckillEventFilter:
    status: SeckillStatus | None = None  # type: ignore[valid-type]


@strawberry.type(description="One invariant of a sale, checked against Redis and the database.")
class SeckillAuditCheck:
    name: str
    passed: bool
    detail: str


@strawberry.type(description="The `flashmart seckill audit` report of a sale.")
class SeckillAudit:
    passed: bool
    total_stock: int
    remaining: int
    pending: int = strawberry.field(description="Units reserved but not yet persisted.")
    sold: int = strawberry.field(description="Units held by live orders.")
    orders: int
    tickets_succeeded: int
    tickets_failed: int
    oversold: int
    undersold: int
    max_per_user: int
    checks: list[SeckillAuditCheck]


@strawberry.type(description="Buy attempts in one second of a sale (accepted or refused).")
class SeckillAttemptSample:
    second: datetime = strawberry.field(description="The start of the second (Redis's clock).")
    attempts: int


@strawberry.type(description="A sale's live figures for the control room; fresh on every read.")
class SeckillEventStats:
    tickets_queued: int = strawberry.field(
        description="Reservations taken in Redis that the worker has not written yet."
    )
    tickets_succeeded: int = strawberry.field(description="Tickets that became an order.")
    tickets_failed: int = strawberry.field(description="Tickets the worker could not honour.")
    attempts_per_second: list[SeckillAttemptSample] = strawberry.field(
        description=(
            "Buy attempts in each of the last `seconds` (1 to 600) whole seconds, oldest first."
        )
    )


@strawberry.type
class SeckillQueries:
    @strawberry.field(description="Flash sales, optionally only those in one status.")
    async def seckill_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: SeckillEventFilter | None = None,
    ) -> Connection[SeckillEvent]:
        status = filter.status if filter else None
        return await paginate(
            events_queryset(status=status),
            SeckillEvent.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="One flash sale by id.")
    async def seckill_event(self, info: Info, id: strawberry.ID) -> SeckillEvent | None:
        found = await get_event(decode_id(id, "SeckillEvent"))
        return SeckillEvent.from_model(found) if found else None

    @strawberry.field(
        permission_classes=[IsAuthenticated], description="Your ticket; null if not yours."
    )
    async def seckill_ticket(self, info: Info, id: strawberry.ID) -> SeckillTicket | None:
        viewer = info.context.viewer
        assert viewer is not None  # IsAuthenticated
        view = await ticket_for(
            info.context.runtime, ticket_id=_ticket_id(id), user_id=viewer.user_id
        )
        return SeckillTicket.from_view(view) if view else None

    @strawberry.field(permission_classes=[IsAdmin], description="Check a sale's invariants now.")
    async def seckill_event_audit(self, info: Info, id: strawberry.ID) -> SeckillAudit | None:
        try:
            report = await audit(info.context.runtime, decode_id(id, "SeckillEvent"))
        except DomainFailure:
            return None
        return SeckillAudit(
            passed=report.passed,
            total_stock=report.total_stock,
            remaining=report.remaining,
            pending=report.pending,
            sold=report.sold,
            orders=report.orders,
            tickets_succeeded=report.tickets_succeeded,
            tickets_failed=report.tickets_failed,
            oversold=report.oversold,
            undersold=report.undersold,
            max_per_user=report.max_per_user,
            checks=[
                SeckillAuditCheck(name=c.name, passed=c.passed, detail=c.detail)
                for c in report.checks
            ],
        )

    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Live ticket counts and buy attempts per second of a sale (admins only).",
    )
    async def seckill_event_stats(
        self, info: Info, id: strawberry.ID, seconds: int = 60
    ) -> SeckillEventStats | None:
        try:
            stats = await live_stats(
                info.context.runtime, decode_id(id, "SeckillEvent"), seconds=seconds
            )
        except DomainFailure:
            return None
        return SeckillEventStats(
            tickets_queued=stats.tickets_queued,
            tickets_succeeded=stats.tickets_succeeded,
            tickets_failed=stats.tickets_failed,
            attempts_per_second=[
                SeckillAttemptSample(second=datetime.fromtimestamp(at, UTC), attempts=count)
                for at, count in stats.attempts
            ],
        )


def _ticket_id(global_id: str) -> str:
    from strawberry import relay

    from flashmart.core.errors import bad_input

    try:
        parsed = relay.GlobalID.from_id(global_id)
    except ValueError as exc:
        raise bad_input("Invalid SeckillTicket id") from exc
    if parsed.type_name != "SeckillTicket":
        raise bad_input("Invalid SeckillTicket id")
    return parsed.node_id
