"""Flash-sale reads: the sales anyone may see, your tickets, and the admins' live reports."""

from __future__ import annotations

import strawberry

from flashmart.graphql.context import Info
from flashmart.graphql.errors import Refused, attempt
from flashmart.graphql.ids import decode_id, decode_ticket_id
from flashmart.graphql.pagination import Connection, paginate_keyset
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated
from flashmart.graphql.seckill.types import (
    SeckillAudit,
    SeckillEvent,
    SeckillEventStats,
    SeckillStatus,
    SeckillTicket,
)
from flashmart.seckill.audit import audit, live_stats
from flashmart.seckill.buy import ticket_for
from flashmart.seckill.events import EVENT_ORDER, EVENT_SORT, events_queryset, get_event
from flashmart.seckill.live import known_event


@strawberry.input
class SeckillEventFilter:
    status: SeckillStatus | None = None  # type: ignore[valid-type]


@strawberry.type
class SeckillQueries:
    @strawberry.field(
        description=(
            "Flash sales, optionally only those in one status, by start time (soonest first; "
            "ties by id)."
        )
    )
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
        return await paginate_keyset(
            events_queryset(status=status),
            SeckillEvent.from_model,
            order=EVENT_ORDER,
            sort=EVENT_SORT,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="One flash sale by id.")
    async def seckill_event(self, info: Info, id: strawberry.ID) -> SeckillEvent | None:
        event_id = decode_id(id, "SeckillEvent")
        found = None
        if not info.context.viewer_is_admin:
            # A sale this process's subscribers watch: as its watcher last loaded it (reloaded
            # on every change the sale's channel announces), with no database query. Admins,
            # who may have just edited it, read the database.
            found = known_event(info.context.runtime, event_id)
        if found is None:
            found = await get_event(event_id)
        return SeckillEvent.from_model(found) if found else None

    @strawberry.field(
        permission_classes=[IsAuthenticated], description="Your ticket; null if not yours."
    )
    async def seckill_ticket(self, info: Info, id: strawberry.ID) -> SeckillTicket | None:
        viewer = info.context.require_viewer()
        view = await ticket_for(
            info.context.runtime, ticket_id=decode_ticket_id(id), user_id=viewer.user_id
        )
        return SeckillTicket.from_view(view) if view else None

    @strawberry.field(permission_classes=[IsAdmin], description="Check a sale's invariants now.")
    async def seckill_event_audit(self, info: Info, id: strawberry.ID) -> SeckillAudit | None:
        report = await attempt(audit(info.context.runtime, decode_id(id, "SeckillEvent")))
        return None if isinstance(report, Refused) else SeckillAudit.from_report(report)

    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Live ticket counts and buy attempts per second of a sale (admins only).",
    )
    async def seckill_event_stats(
        self, info: Info, id: strawberry.ID, seconds: int = 60
    ) -> SeckillEventStats | None:
        stats = await attempt(
            live_stats(info.context.runtime, decode_id(id, "SeckillEvent"), seconds=seconds)
        )
        return None if isinstance(stats, Refused) else SeckillEventStats.from_stats(stats)
