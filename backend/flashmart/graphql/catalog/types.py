from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from flashmart.catalog import models
from flashmart.catalog import services as catalog
from flashmart.graphql.context import Info
from flashmart.graphql.scalars import Money


@strawberry.type(description="A group of products; categories may nest.")
class Category(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str

    @classmethod
    def from_model(cls, category: models.Category) -> Category:
        return cls(id=category.id, name=category.name, slug=category.slug)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Category | None]:
        found = await info.context.loaders.category.load_many([int(i) for i in node_ids])
        return [cls.from_model(c) if c else None for c in found]


@strawberry.type(description="Something the shop sells.")
class Product(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    description: str
    stock: int
    is_published: bool
    created_at: datetime
    category_id: strawberry.Private[int | None]
    price_amount: strawberry.Private[object]
    currency: strawberry.Private[str]

    @strawberry.field
    def price(self) -> Money:
        return Money(amount=self.price_amount, currency=self.currency)  # type: ignore[arg-type]

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        if self.category_id is None:
            return None
        found = await info.context.loaders.category.load(self.category_id)
        return Category.from_model(found) if found else None

    @classmethod
    def from_model(cls, product: models.Product) -> Product:
        return cls(
            id=product.id,
            name=product.name,
            slug=product.slug,
            description=product.description,
            stock=product.stock,
            is_published=product.is_published,
            created_at=product.created_at,
            category_id=product.category_id,  # type: ignore[attr-defined]
            price_amount=product.price,
            currency=product.currency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Product | None]:
        admin = bool(info.context.viewer and info.context.viewer.is_admin)
        ids = [int(i) for i in node_ids]
        visible = await catalog.visible_products(include_unpublished=admin).filter(id__in=ids)
        found = {p.id: p for p in visible}
        return [cls.from_model(found[i]) if i in found else None for i in ids]
