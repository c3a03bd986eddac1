from __future__ import annotations

import strawberry

from flashmart.graphql.context import Info
from flashmart.graphql.ids import decode_id
from flashmart.graphql.pagination import Connection, paginate
from flashmart.graphql.seckill.types import SeckillEvent, SeckillStatus
from flashmart.seckill import services as seckill


@strawberry.input
class SeckillEventFilter:
    status: SeckillStatus | None = None  # type: ignore[valid-type]


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
