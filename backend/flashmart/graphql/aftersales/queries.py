from __future__ import annotations

from datetime import datetime

import strawberry

from flashmart.aftersales import services
from flashmart.graphql.aftersales.types import RefundRequest, RefundRequestState, RefundType
from flashmart.graphql.context import Info
from flashmart.graphql.pagination import Connection, paginate
from flashmart.graphql.permissions import IsAdmin


@strawberry.input(description="Narrow the list of refund requests; the given fields combine.")
class RefundRequestFilter:
    state: RefundRequestState | None = None  # type: ignore[valid-type]
    type: RefundType | None = None  # type: ignore[valid-type]
    created_from: datetime | None = strawberry.field(default=None, description="Inclusive.")
    created_to: datetime | None = strawberry.field(default=None, description="Exclusive.")
    order_number: str | None = strawberry.field(
        default=None, description="Part of the order's number."
    )


@strawberry.type
class AfterSalesQueries:
    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Every refund request, oldest first by id (administrators only).",
    )
    async def refund_requests(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: RefundRequestFilter | None = None,
    ) -> Connection[RefundRequest]:
        filters = services.RefundRequestFilter(**vars(filter)) if filter else None
        return await paginate(
            services.search(filters),
            RefundRequest.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )
