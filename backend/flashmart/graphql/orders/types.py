from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from flashmart.graphql.accounts.types import User
from flashmart.graphql.addresses.types import OrderAddress
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


@dataclass(frozen=True)
class OrderShipping:
    """An order's shipping columns, as the `Order` type reads them."""

    fee: Decimal
    address: dict[str, str] | None
    carrier: str | None
    tracking_number: str | None
    shipped_at: datetime | None


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


async def _history(info: Info, order_id: int) -> list[OrderEvent]:
    events = await info.context.loaders.order_events.load(order_id)
    return [
        OrderEvent(
            from_status=e.from_status,
            to_status=e.to_status,
            reason=e.reason,
            created_at=e.created_at,
        )
        for e in events
    ]


@strawberry.type(description="The parcel of a shipped order.")
class Shipment:
    carrier: str
    tracking_number: str
    shipped_at: datetime | None


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
    shipping: strawberry.Private[OrderShipping]

    @strawberry.field(description="What the shopper pays: the lines' sum plus shipping.")
    def total(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)

    @strawberry.field(description="The lines' sum, before shipping.")
    def subtotal(self) -> Money:
        return Money(amount=self.amount - self.shipping.fee, currency=self.currency)

    @strawberry.field(description="The shipping fee charged with this order.")
    def shipping_fee(self) -> Money:
        return Money(amount=self.shipping.fee, currency=self.currency)

    @strawberry.field(
        description=(
            "Where the order ships: a copy made when it got its address (later changes to the "
            "address book do not touch it); null until then (payment asks for one)."
        )
    )
    def shipping_address(self) -> OrderAddress | None:
        snapshot = self.shipping.address
        return OrderAddress.from_snapshot(snapshot) if snapshot else None

    @strawberry.field(description="Carrier and tracking number once shipped with `orderShip`.")
    def shipment(self) -> Shipment | None:
        parcel = self.shipping
        if parcel.carrier is None or parcel.tracking_number is None:
            return None
        return Shipment(
            carrier=parcel.carrier,
            tracking_number=parcel.tracking_number,
            shipped_at=parcel.shipped_at,
        )

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
        return await _history(info, self.id)

    @strawberry.field(
        description="The timestamped status transitions (created, paid, shipped, ...), oldest "
        "first: the same entries as `events`."
    )
    async def status_history(self, info: Info) -> list[OrderEvent]:
        return await _history(info, self.id)

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
            shipping=OrderShipping(
                fee=order.shipping_fee,
                address=order.shipping_address,
                carrier=order.carrier,
                tracking_number=order.tracking_number,
                shipped_at=order.shipped_at,
            ),
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
