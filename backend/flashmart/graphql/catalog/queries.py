"""Storefront reads: the product listing, one product, the category tree."""

from __future__ import annotations

import strawberry

from flashmart.catalog import categories, search
from flashmart.catalog import services as catalog
from flashmart.catalog.cache import ProductSnapshot
from flashmart.core.errors import bad_input
from flashmart.core.i18n import text
from flashmart.graphql.catalog.types import Category, Product, ProductFilter, ProductSort
from flashmart.graphql.context import Info
from flashmart.graphql.ids import decode_id
from flashmart.graphql.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Connection,
    connection_from_rows,
    paginate_keyset,
)


def _prime_images(info: Info, snapshots: list[ProductSnapshot]) -> list[ProductSnapshot]:
    """Hand cached images to the loader, so a cached read costs no image query."""
    for snapshot in snapshots:
        info.context.loaders.product_images.prime(snapshot.product.id, snapshot.images)
    return snapshots


def _criteria(given: ProductFilter | None) -> search.ProductFilter:
    if given is None:
        return search.ProductFilter()
    category = given.category_id
    return search.ProductFilter(
        search=given.search,
        category_id=decode_id(category, "Category") if category is not None else None,
        min_price=given.min_price,
        max_price=given.max_price,
        in_stock=given.in_stock,
        is_published=given.is_published,
    )


async def _cached_first_page(info: Info, first: int | None) -> Connection[Product]:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise bad_input(text("`first` must be between 0 and {maximum}", maximum=MAX_PAGE_SIZE))
    page = await catalog.first_page(info.context.runtime, size)
    return connection_from_rows(
        [s.product for s in _prime_images(info, page.items)],
        Product.from_model,
        order=search.CATALOG_ORDER,
        sort=search.CATALOG_SORT,
        has_next_page=page.has_next_page,
        has_previous_page=False,
        total_count=page.total_count,
    )


@strawberry.type
class CatalogQueries:
    @strawberry.field(
        description=(
            "Products a viewer may see (shoppers: published; admins: all not deleted), as a "
            "Relay connection; `totalCount` counts the filtered set."
        )
    )
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ProductFilter | None = None,
        sort_by: ProductSort | None = None,  # type: ignore[valid-type]
    ) -> Connection[Product]:
        admin = info.context.viewer_is_admin
        if (filter, sort_by, after, last, before) == (None,) * 5 and not admin:
            return await _cached_first_page(info, first)  # the storefront's landing page
        listing = await search.list_products(
            catalog.visible_products(include_unpublished=admin), _criteria(filter), sort_by
        )
        return await paginate_keyset(
            listing.queryset,
            Product.from_model,
            order=listing.order,
            sort=listing.sort,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description=(
            "Products whose names best match what is typed in a search box (names only, "
            "ranked as `products` searches; `first`: 8 unless given, at most 20); empty for a "
            "blank query."
        )
    )
    async def search_suggestions(
        self, info: Info, query: str, first: int | None = None
    ) -> list[Product]:
        visible = catalog.visible_products(include_unpublished=info.context.viewer_is_admin)
        return [Product.from_model(p) for p in await search.suggest(visible, query, first=first)]

    @strawberry.field(description="One product by id; null when it does not exist or is hidden.")
    async def product(self, info: Info, id: strawberry.ID) -> Product | None:
        context = info.context
        found = await catalog.product_detail(
            context.runtime, decode_id(id, "Product"), include_unpublished=context.viewer_is_admin
        )
        return Product.from_model(_prime_images(info, [found])[0].product) if found else None

    @strawberry.field(description="All categories, by name; `parent`/`children` give the tree.")
    async def categories(self, info: Info) -> list[Category]:
        found = await categories.list_categories()
        for category in found:
            info.context.loaders.category.prime(category.id, category)
        return [Category.from_model(c) for c in found]
