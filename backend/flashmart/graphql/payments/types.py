from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from flashmart.graphql.context import Info
from flashmart.graphql.ids import node_pks
from flashmart.graphql.scalars import Money
from flashmart.orders import services as orders
from flashmart.payments import models, services
from flashmart.payments.qr import qr_svg

if TYPE_CHECKING:
    from flashmart.graphql.orders.types import Order

PaymentStatus = strawberry.enum(
    models.PaymentStatus, name="PaymentStatus", description="Where a payment stands."
)


@strawberry.type(description="One attempt to pay an order through the payment provider.")
class Payment(relay.Node):
    id: relay.NodeID[int]
    status: PaymentStatus  # type: ignore[valid-type]
    provider: str = strawberry.field(description='The provider that handles it, e.g. "sandbox".')
    pay_url: str = strawberry.field(description="Where the shopper pays (the provider's page).")
    created_at: datetime
    settled_at: datetime | None = strawberry.field(
        description="When the provider reported success or failure."
    )
    order_id: strawberry.Private[int]
    value: strawberry.Private[Decimal]
    currency: strawberry.Private[str]

    @strawberry.field(description="The order's total when the payment was opened.")
    def amount(self) -> Money:
        return Money(amount=self.value, currency=self.currency)

    @strawberry.field(description="`payUrl` as a QR code (an SVG document) to scan with a phone.")
    def qr_code_svg(self) -> str:
        return qr_svg(self.pay_url) if self.pay_url else ""

    @strawberry.field
    async def order(
        self, info: Info
    ) -> Annotated[Order, strawberry.lazy("flashmart.graphql.orders.types")]:
        from flashmart.graphql.orders.types import Order

        viewer = info.context.viewer
        found = await orders.order_for(
            order_id=self.order_id,
            user_id=viewer.user_id if viewer else 0,
            is_admin=bool(viewer and viewer.is_admin),
        )
        if found is None:  # payments are only handed to their order's viewers
            raise LookupError(f"order {self.order_id} of payment {self.id} is not visible")
        return Order.from_model(found)

    @classmethod
    def from_model(cls, payment: models.Payment) -> Payment:
        return cls(
            id=payment.id,
            status=payment.status,
            provider=payment.provider,
            pay_url=payment.pay_url,
            created_at=payment.created_at,
            settled_at=payment.settled_at,
            order_id=payment.order_id,
            value=payment.amount,
            currency=payment.currency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Payment | None]:
        viewer = info.context.viewer
        ids = node_pks(node_ids, "Payment")
        if viewer is None:
            return [None for _ in ids]
        found = await services.payments_for_viewer(
            ids, user_id=viewer.user_id, is_admin=viewer.is_admin
        )
        return [cls.from_model(found[i]) if i in found else None for i in ids]
