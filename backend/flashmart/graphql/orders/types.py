from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from flashmart.graphql.accounts.types import User
from flashmart.graphql.aftersales.types import RefundRequest
from flashmart.graphql.catalog.types import Product
from flashmart.graphql.context import Info
from flashmart.graphql.ids import node_pks
from flashmart.graphql.payments.types import Payment
from flashmart.graphql.permissions import IsAdmin
from flashmart.graphql.scalars import Money
from flashmart.graphql.seckill.types import SeckillEvent
from flashmart.orders import models, services, state
from flashmart.seckill.models import SeckillEvent as SeckillEventModel

OrderStatus = strawberry.enum(
    models.OrderStatus, name="OrderStatus", description="Where an order is in its lifecycle."
)


@strawberry.type(description="One product line of an order, priced when the order was placed.")
class OrderLine(relay.Node):
    id: relay.NodeID[int]
    product_name: str = strawberry.field(description="The product's name at checkout.")
    quantity: int
    product_id: strawberry.Private[int]
    unit: strawberry.Private[Decimal]
    currency: strawberry.Private[str]

    @strawberry.field(description="Price of one unit at checkout.")
    def unit_price(self) -> Money:
        return Money(amount=self.unit, currency=self.currency)

    @strawberry.field(description="unitPrice times quantity.")
    def total(self) -> Money:
        return Money(amount=self.unit * self.quantity, currency=self.currency)

    @strawberry.field(description="The product as it is now.")
    async def product(self, info: Info) -> Product | None:
        found = await info.context.loaders.product.load(self.product_id)
        return Product.from_model(found) if found else None

    @classmethod
    def from_model(cls, line: models.OrderLine, currency: str) -> OrderLine:
        return cls(
            id=line.id,
            product_name=line.product_name,
            quantity=line.quantity,
            product_id=line.product_id,
            unit=line.unit_price,
            currency=currency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[OrderLine | None]:
        return [None for _ in node_ids]  # reachable through their order only


@strawberry.type(description="A change of an order's status, for its history.")
class OrderEvent:
    from_status: OrderStatus | None  # type: ignore[valid-type]
    to_status: OrderStatus  # type: ignore[valid-type]
    reason: str
    created_at: datetime


@strawberry.type(description="A shopper's order.")
class Order(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="Human-readable, unique, sorts by time.")
    status: OrderStatus  # type: ignore[valid-type]
    created_at: datetime
    paid_at: datetime | None
    expires_at: datetime | None = strawberry.field(
        description="When an unpaid order expires and its units go back on sale."
    )
    user_id: strawberry.Private[int]
    amount: strawberry.Private[Decimal]
    currency: strawberry.Private[str]
    seckill_event_id: strawberry.Private[int | None]

    @strawberry.field
    def total(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)

    @strawberry.field
    async def lines(self, info: Info) -> list[OrderLine]:
        lines = await info.context.loaders.order_lines.load(self.id)
        return [OrderLine.from_model(line, self.currency) for line in lines]

    @strawberry.field
    async def user(self, info: Info) -> User:
        found = await info.context.loaders.user.load(self.user_id)
        if found is None:  # guarded by a RESTRICT foreign key
            raise LookupError(f"user {self.user_id} of order {self.id} is missing")
        return User.from_model(found)

    @strawberry.field(description="The flash sale this order came from, if any.")
    async def seckill_event(self) -> SeckillEvent | None:
        if self.seckill_event_id is None:
            return None
        found = await SeckillEventModel.get_or_none(id=self.seckill_event_id)
        return SeckillEvent.from_model(found) if found else None

    @strawberry.field(description="Every status change, oldest first.")
    async def events(self, info: Info) -> list[OrderEvent]:
        events = await info.context.loaders.order_events.load(self.id)
        return [
            OrderEvent(
                from_status=e.from_status,
                to_status=e.to_status,
                reason=e.reason,
                created_at=e.created_at,
            )
            for e in events
        ]

    @strawberry.field(description="Payment attempts for this order, oldest first.")
    async def payments(self, info: Info) -> list[Payment]:
        found = await info.context.loaders.order_payments.load(self.id)
        return [Payment.from_model(p) for p in found]

    @strawberry.field(description="Refund requests of this order, oldest first.")
    async def refund_requests(self, info: Info) -> list[RefundRequest]:
        found = await info.context.loaders.order_refund_requests.load(self.id)
        return [RefundRequest.from_model(r) for r in found]

    @strawberry.field(description="Statuses the state machine allows next (for admin tools).")
    def next_statuses(self) -> list[OrderStatus]:  # type: ignore[valid-type]
        return state.next_statuses(self.status)

    @strawberry.field(
        permission_classes=[IsAdmin],
        description=(
            "Statuses an administrator may move this order to now (admins only): REFUNDED "
            "through `orderRefund`, the others through `orderStatusUpdate`."
        ),
    )
    def allowed_transitions(self) -> list[OrderStatus]:  # type: ignore[valid-type]
        return state.admin_next_statuses(self.status)

    @classmethod
    def from_model(cls, order: models.Order) -> Order:
        return cls(
            id=order.id,
            number=order.number,
            status=order.status,
            created_at=order.created_at,
            paid_at=order.paid_at,
            expires_at=order.expires_at,
            user_id=order.user_id,
            amount=order.total,
            currency=order.currency,
            seckill_event_id=order.seckill_event_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Order | None]:
        viewer = info.context.viewer
        ids = node_pks(node_ids, "Order")
        if viewer is None:
            return [None for _ in ids]
        visible = services.orders_for(user_id=viewer.user_id, is_admin=viewer.is_admin)
        found = {o.id: o for o in await visible.filter(id__in=ids)}
        return [cls.from_model(found[i]) if i in found else None for i in ids]
