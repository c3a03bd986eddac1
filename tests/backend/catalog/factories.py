"""Building blocks for catalog tests."""

from __future__ import annotations

from decimal import Decimal

from flashmart import seed
from flashmart.catalog.models import Product
from flashmart.catalog.validation import slugify


async def demo_products() -> None:
    """The demo shop's products with the seed's names and descriptions (no categories)."""
    for category, names in seed.CATALOG.items():
        for name in names:
            await Product.create(
                name=name,
                slug=slugify(name),
                description=seed.describe(name, category),
                price=Decimal("10.00"),
                stock=1,
            )
