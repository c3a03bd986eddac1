from __future__ import annotations

import strawberry

from flashmart.catalog import services as catalog
from flashmart.graphql.catalog.types import Category, Product
from flashmart.graphql.context import Info
from flashmart.graphql.ids import decode_id
from flashmart.graphql.pagination import Connection, paginate


def _is_admin(info: Info) -> bool:
    return bool(info.context.viewer and info.context.viewer.is_admin)


@strawberry.type
class CatalogQueries:
    @strawberry.field(description="Products a viewer may see, as a Relay connection.")
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Product]:
        queryset = catalog.visible_products(include_unpublished=_is_admin(info))
        return await paginate(
            queryset, Product.from_model, first=first, after=after, last=last, before=before
        )

    @strawberry.field(description="One product by id; null when it does not exist or is hidden.")
    async def product(self, info: Info, id: strawberry.ID) -> Product | None:
        found = await catalog.get_product(
            decode_id(id, "Product"), include_unpublished=_is_admin(info)
        )
        return Product.from_model(found) if found else None

    @strawberry.field(description="All categories, by name.")
    async def categories(self) -> list[Category]:
        return [Category.from_model(c) for c in await catalog.list_categories()]
