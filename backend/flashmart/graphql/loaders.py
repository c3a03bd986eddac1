"""Per-request DataLoaders: every relation a list touches is fetched in one query per page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from flashmart.catalog import services as catalog
from flashmart.catalog.models import Category, Product


async def _load_products(ids: Sequence[int]) -> list[Product | None]:
    found = await catalog.products_by_ids(ids)
    return [found.get(i) for i in ids]


async def _load_categories(ids: Sequence[int]) -> list[Category | None]:
    found = await catalog.categories_by_ids(ids)
    return [found.get(i) for i in ids]


@dataclass
class Loaders:
    product: DataLoader[int, Product | None] = field(
        default_factory=lambda: DataLoader(load_fn=_load_products)
    )
    category: DataLoader[int, Category | None] = field(
        default_factory=lambda: DataLoader(load_fn=_load_categories)
    )
