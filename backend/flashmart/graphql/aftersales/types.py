from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from flashmart.aftersales import models
from flashmart.graphql.context import Info
from flashmart.graphql.ids import node_pks
from flashmart.orders import services as orders

if TYPE_CHECKING:
    from flashmart.graphql.orders.types import Order

RefundType = strawberry.enum(
    models.RefundType,
    name="RefundType",
    description="REFUND before the order shipped; RETURN_AND_REFUND after (the goods come back).",
)
RefundRequestState = strawberry.enum(
    models.RefundState,
    name="RefundRequestState",
    description=(
        "REQUESTED → REFUNDED (a refund) or → APPROVED → REFUNDED (a return, once the goods are "
        "back); REQUESTED or APPROVED → DECLINED."
    ),
)


@strawberry.type(description="A shopper's request for their money back.")
class RefundRequest(relay.Node):
    id: relay.NodeID[int]
    type: RefundType  # type: ignore[valid-type]
    state: RefundRequestState  # type: ignore[valid-type]
    reason: str = strawberry.field(description="Why the shopper asks.")
    return_tracking_number: str | None = strawberry.field(
        description="The return parcel's tracking number (returns only; may come later)."
    )
    decline_reason: str | None = strawberry.field(description="Why the shop declined.")
    created_at: datetime
    decided_at: datetime | None = strawberry.field(
        description="When the shop approved or declined."
    )
    refunded_at: datetime | None = strawberry.field(description="When the money went back.")
    order_id: strawberry.Private[int]

    @strawberry.field(description="The order to refund.")
    async def order(
        self, info: Info
    ) -> Annotated[Order, strawberry.lazy("flashmart.graphql.orders.types")]:
        from flashmart.graphql.orders.types import Order

        viewer = info.context.require_viewer()
        found = await orders.order_for(
            order_id=self.order_id, user_id=viewer.user_id, is_admin=viewer.is_admin
        )
        if found is None:  # requests are only handed to their order's viewers
            raise LookupError(f"order {self.order_id} of refund request {self.id} is not visible")
        return Order.from_model(found)

    @classmethod
    def from_model(cls, request: models.RefundRequest) -> RefundRequest:
        return cls(
            id=request.id,
            type=request.type,
            state=request.state,
            reason=request.reason,
            return_tracking_number=request.return_tracking_number,
            decline_reason=request.decline_reason or None,
            created_at=request.created_at,
            decided_at=request.decided_at,
            refunded_at=request.refunded_at,
            order_id=request.order_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[RefundRequest | None]:
        viewer = info.context.viewer
        ids = node_pks(node_ids, "RefundRequest")
        if viewer is None:
            return [None for _ in ids]
        queryset = models.RefundRequest.filter(id__in=ids)
        if not viewer.is_admin:
            queryset = queryset.filter(order__user_id=viewer.user_id)
        found = {r.id: r for r in await queryset}
        return [cls.from_model(found[i]) if i in found else None for i in ids]
