from __future__ import annotations

import strawberry

from flashmart.graphql.context import Info
from flashmart.graphql.ids import decode_id
from flashmart.graphql.pagination import Connection, paginate
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated
from flashmart.graphql.seckill.types import SeckillEvent, SeckillStatus, SeckillTicket
from flashmart.seckill import services as seckill


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
            seckill.events_queryset(status=status),
            SeckillEvent.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="One flash sale by id.")
    async def seckill_event(self, info: Info, id: strawberry.ID) -> SeckillEvent | None:
        found = await seckill.get_event(decode_id(id, "SeckillEvent"))
        return SeckillEvent.from_model(found) if found else None

    @strawberry.field(
        permission_classes=[IsAuthenticated], description="Your ticket; null if not yours."
    )
    async def seckill_ticket(self, info: Info, id: strawberry.ID) -> SeckillTicket | None:
        viewer = info.context.viewer
        assert viewer is not None  # IsAuthenticated
        view = await seckill.ticket_for(
            info.context.services, ticket_id=_ticket_id(id), user_id=viewer.user_id
        )
        return SeckillTicket.from_view(view) if view else None

    @strawberry.field(permission_classes=[IsAdmin], description="Check a sale's invariants now.")
    async def seckill_event_audit(self, info: Info, id: strawberry.ID) -> SeckillAudit | None:
        from flashmart.core.errors import DomainFailure

        try:
            report = await seckill.audit(info.context.services, decode_id(id, "SeckillEvent"))
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
