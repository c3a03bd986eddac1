"""Catalog reads and writes. No GraphQL here."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.queryset import QuerySet

from flashmart.catalog.models import Category, Product


def visible_products(*, include_unpublished: bool = False) -> QuerySet[Product]:
    """Products a viewer may see: shoppers get published, not deleted; admins get all live."""
    queryset = Product.filter(deleted_at__isnull=True)
    if not include_unpublished:
        queryset = queryset.filter(is_published=True)
    return queryset


async def get_product(product_id: int, *, include_unpublished: bool = False) -> Product | None:
    return await visible_products(include_unpublished=include_unpublished).get_or_none(
        id=product_id
    )


async def products_by_ids(ids: Sequence[int]) -> dict[int, Product]:
    return {p.id: p for p in await Product.filter(id__in=list(ids))}


async def categories_by_ids(ids: Sequence[int]) -> dict[int, Category]:
    return {c.id: c for c in await Category.filter(id__in=list(ids))}


async def list_categories() -> list[Category]:
    return await Category.all().order_by("name")
