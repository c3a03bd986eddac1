from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from flashmart.graphql.catalog.types import Product
from flashmart.graphql.context import Info
from flashmart.graphql.scalars import Money
from flashmart.seckill import models
from flashmart.seckill import services as seckill

SeckillStatus = strawberry.enum(seckill.SeckillStatus, name="SeckillStatus")


@strawberry.type(description="A flash sale of one product for a limited time and stock.")
class SeckillEvent(relay.Node):
    id: relay.NodeID[int]
    total_stock: int
    remaining_stock: int
    starts_at: datetime
    ends_at: datetime
    status: SeckillStatus  # type: ignore[valid-type]
    per_user_limit: int
    product_id: strawberry.Private[int]
    price_amount: strawberry.Private[object]

    @strawberry.field
    async def product(self, info: Info) -> Product:
        found = await info.context.loaders.product.load(self.product_id)
        if found is None:  # guarded by a RESTRICT foreign key
            raise LookupError(f"product {self.product_id} of event {self.id} is missing")
        return Product.from_model(found)

    @strawberry.field
    async def price(self, info: Info) -> Money:
        found = await info.context.loaders.product.load(self.product_id)
        currency = found.currency if found else "CNY"
        return Money(amount=self.price_amount, currency=currency)  # type: ignore[arg-type]

    @classmethod
    def from_model(cls, event: models.SeckillEvent) -> SeckillEvent:
        return cls(
            id=event.id,
            total_stock=event.total_stock,
            remaining_stock=seckill.remaining_stock(event),
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            status=seckill.status_of(event),
            per_user_limit=event.per_user_limit,
            product_id=event.product_id,  # type: ignore[attr-defined]
            price_amount=event.price,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SeckillEvent | None]:
        ids = [int(i) for i in node_ids]
        found = {e.id: e for e in await models.SeckillEvent.filter(id__in=ids)}
        return [cls.from_model(found[i]) if i in found else None for i in ids]
