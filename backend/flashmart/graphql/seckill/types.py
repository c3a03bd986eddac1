from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader

from flashmart.graphql.catalog.types import Product
from flashmart.graphql.context import Info
from flashmart.graphql.scalars import Money
from flashmart.orders.models import Order as OrderModel
from flashmart.seckill import models
from flashmart.seckill.buy import TicketView, ticket_for
from flashmart.seckill.events import SeckillStatus as SaleStatus
from flashmart.seckill.events import remaining_stock, status_of
from flashmart.seckill.store import SaleStore, WarmState

if TYPE_CHECKING:
    from flashmart.graphql.orders.types import Order

SeckillStatus = strawberry.enum(SaleStatus, name="SeckillStatus")
TicketStatus = strawberry.enum(models.TicketStatus, name="TicketStatus")

_WARM_LOADER = "seckill-warm-state"


def _warm_loader(info: Info) -> DataLoader[int, WarmState | None]:
    """One Redis round trip for the live stock of every event on the page."""
    loader = info.context.extra.get(_WARM_LOADER)
    if loader is None:
        runtime = info.context.runtime

        async def load(ids: Sequence[int]) -> list[WarmState | None]:
            states = await SaleStore.of(runtime).read_states(list(ids))
            return [states.get(i) for i in ids]

        loader = DataLoader(load_fn=load)
        info.context.extra[_WARM_LOADER] = loader
    return loader


@strawberry.type(description="A flash sale of one product for a limited time and stock.")
class SeckillEvent(relay.Node):
    id: relay.NodeID[int]
    total_stock: int
    starts_at: datetime
    ends_at: datetime
    per_user_limit: int
    model: strawberry.Private[models.SeckillEvent]

    @strawberry.field(description="Units left: live from Redis while the sale is warm.")
    async def remaining_stock(self, info: Info) -> int:
        return remaining_stock(self.model, await _warm_loader(info).load(self.id))

    @strawberry.field(description="SCHEDULED, ACTIVE, SOLD_OUT or ENDED, from the server's clock.")
    async def status(self, info: Info) -> SeckillStatus:  # type: ignore[valid-type]
        return status_of(self.model, warm=await _warm_loader(info).load(self.id))

    @strawberry.field
    async def product(self, info: Info) -> Product:
        found = await info.context.loaders.product.load(self.model.product_id)
        if found is None:  # guarded by a RESTRICT foreign key
            raise LookupError(f"product of event {self.id} is missing")
        return Product.from_model(found)

    @strawberry.field(description="The sale price of one unit.")
    async def price(self, info: Info) -> Money:
        found = await info.context.loaders.product.load(self.model.product_id)
        amount: Decimal = self.model.price
        return Money(amount=amount, currency=found.currency if found else "CNY")

    @classmethod
    def from_model(cls, event: models.SeckillEvent) -> SeckillEvent:
        return cls(
            id=event.id,
            total_stock=event.total_stock,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            per_user_limit=event.per_user_limit,
            model=event,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SeckillEvent | None]:
        ids = [int(i) for i in node_ids]
        found = {e.id: e for e in await models.SeckillEvent.filter(id__in=ids)}
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="Your place in a flash sale: QUEUED until the order is written.")
class SeckillTicket(relay.Node):
    id: relay.NodeID[str]
    status: TicketStatus  # type: ignore[valid-type]
    failure_reason: str | None
    quantity: int
    event_id: strawberry.Private[int]
    order_id: strawberry.Private[int | None]

    @strawberry.field
    async def event(self) -> SeckillEvent:
        return SeckillEvent.from_model(await models.SeckillEvent.get(id=self.event_id))

    @strawberry.field(description="The order awaiting payment, once the ticket SUCCEEDED.")
    async def order(
        self, info: Info
    ) -> Annotated[Order, strawberry.lazy("flashmart.graphql.orders.types")] | None:
        from flashmart.graphql.orders.types import Order  # the orders types import this module

        if self.order_id is None:
            return None
        found = await OrderModel.get_or_none(id=self.order_id)
        return Order.from_model(found) if found else None

    @classmethod
    def from_view(cls, view: TicketView) -> SeckillTicket:
        return cls(
            id=view.id,
            status=view.status,
            failure_reason=view.failure_reason,
            quantity=view.quantity,
            event_id=view.event_id,
            order_id=view.order_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SeckillTicket | None]:
        viewer = info.context.viewer
        result: list[SeckillTicket | None] = []
        for node_id in node_ids:
            view = (
                await ticket_for(info.context.runtime, ticket_id=node_id, user_id=viewer.user_id)
                if viewer
                else None
            )
            result.append(cls.from_view(view) if view else None)
        return result
