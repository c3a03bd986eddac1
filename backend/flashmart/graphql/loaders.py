"""Per-request DataLoaders: every relation a list touches is fetched in one query per page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from flashmart.accounts.models import User
from flashmart.aftersales.models import RefundRequest
from flashmart.catalog import categories
from flashmart.catalog import services as catalog
from flashmart.catalog.models import Category, Product, ProductImage
from flashmart.graphql.aftersales import loaders as aftersales
from flashmart.graphql.catalog import loaders as catalog_loaders
from flashmart.graphql.orders import loaders as orders
from flashmart.graphql.payments import loaders as payments
from flashmart.orders.models import OrderEvent, OrderLine
from flashmart.payments.models import Payment


async def _load_products(ids: Sequence[int]) -> list[Product | None]:
    found = await catalog.products_by_ids(ids)
    return [found.get(i) for i in ids]


async def _load_categories(ids: Sequence[int]) -> list[Category | None]:
    found = await categories.categories_by_ids(ids)
    return [found.get(i) for i in ids]


@dataclass
class Loaders:
    product: DataLoader[int, Product | None] = field(
        default_factory=lambda: DataLoader(load_fn=_load_products)
    )
    category: DataLoader[int, Category | None] = field(
        default_factory=lambda: DataLoader(load_fn=_load_categories)
    )
    order_lines: DataLoader[int, list[OrderLine]] = field(
        default_factory=lambda: DataLoader(load_fn=orders.load_lines)
    )
    order_events: DataLoader[int, list[OrderEvent]] = field(
        default_factory=lambda: DataLoader(load_fn=orders.load_events)
    )
    user: DataLoader[int, User | None] = field(
        default_factory=lambda: DataLoader(load_fn=orders.load_users)
    )
    order_payments: DataLoader[int, list[Payment]] = field(
        default_factory=lambda: DataLoader(load_fn=payments.load_payments)
    )
    order_refund_requests: DataLoader[int, list[RefundRequest]] = field(
        default_factory=lambda: DataLoader(load_fn=aftersales.load_refund_requests)
    )
    product_images: DataLoader[int, list[ProductImage]] = field(
        default_factory=lambda: DataLoader(load_fn=catalog_loaders.load_images)
    )
    category_children: DataLoader[int, list[Category]] = field(
        default_factory=lambda: DataLoader(load_fn=catalog_loaders.load_children)
    )
