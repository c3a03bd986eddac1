from __future__ import annotations

from datetime import datetime

import strawberry

from flashmart.graphql.context import Info
from flashmart.graphql.ids import decode_id
from flashmart.graphql.orders.types import Order, OrderStatus
from flashmart.graphql.pagination import Connection, paginate
from flashmart.graphql.permissions import IsAuthenticated
from flashmart.orders import services


@strawberry.input(description="Narrow an order list; every field is optional and they combine.")
class OrderFilter:
    status: OrderStatus | None = None  # type: ignore[valid-type]
    number: str | None = strawberry.field(default=None, description="Part of an order number.")
    user_email: str | None = strawberry.field(
        default=None, description="Part of the shopper's email (administrators only)."
    )
    created_from: datetime | None = strawberry.field(default=None, description="Inclusive.")
    created_to: datetime | None = strawberry.field(default=None, description="Exclusive.")


@strawberry.type
class OrderQueries:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Your orders, newest first by id; administrators see every order.",
    )
    async def orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: OrderFilter | None = None,
    ) -> Connection[Order]:
        viewer = info.context.require_viewer()
        filters = services.OrderFilter(**vars(filter)) if filter else None
        queryset = services.orders_for(
            user_id=viewer.user_id, is_admin=viewer.is_admin, filters=filters
        )
        return await paginate(
            queryset, Order.from_model, first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="One order; null unless it is yours or you are an administrator.",
    )
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        viewer = info.context.require_viewer()
        found = await services.order_for(
            order_id=decode_id(id, "Order"), user_id=viewer.user_id, is_admin=viewer.is_admin
        )
        return Order.from_model(found) if found else None
