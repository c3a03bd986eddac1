"""Building blocks for order tests: a product, shoppers, a filled cart."""

from __future__ import annotations

from decimal import Decimal

from flashmart.accounts.models import User
from flashmart.cart import services as cart
from flashmart.catalog.models import Product


async def make_product(stock: int, price: str = "10.00", name: str = "Widget") -> Product:
    return await Product.create(
        name=name, slug=name.lower().replace(" ", "-"), price=Decimal(price), stock=stock
    )


async def make_shoppers(n: int) -> list[User]:
    await User.bulk_create([User(email=f"s{i}@example.com", password_hash="x") for i in range(n)])
    return await User.all().order_by("id")


async def fill_cart(user: User, product: Product, quantity: int = 1) -> None:
    await cart.add_item(user_id=user.id, product_id=product.id, quantity=quantity, maximum=99)
