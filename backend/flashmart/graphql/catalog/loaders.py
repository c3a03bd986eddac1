"""Batch loaders for catalog relations: product images and subcategories, one query per page."""

from __future__ import annotations

from collections.abc import Sequence

from flashmart.catalog import categories
from flashmart.catalog import services as catalog
from flashmart.catalog.models import Category, ProductImage


async def load_images(product_ids: Sequence[int]) -> list[list[ProductImage]]:
    found = await catalog.images_by_product_ids(product_ids)
    return [found[i] for i in product_ids]


async def load_children(category_ids: Sequence[int]) -> list[list[Category]]:
    found = await categories.children_by_parent_ids(category_ids)
    return [found[i] for i in category_ids]
