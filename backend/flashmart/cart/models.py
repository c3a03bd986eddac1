from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from flashmart.accounts.models import User
from flashmart.catalog.models import Product


class Cart(Model):
    """A signed-in shopper's cart, kept in the database so checkout can empty it atomically."""

    id = fields.BigIntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="cart", on_delete=fields.CASCADE
    )
    user_id: int
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "cart_cart"


class CartLine(Model):
    id = fields.BigIntField(primary_key=True)
    cart: fields.ForeignKeyRelation[Cart] = fields.ForeignKeyField(
        "models.Cart", related_name="lines", on_delete=fields.CASCADE
    )
    cart_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="cart_lines", on_delete=fields.CASCADE
    )
    product_id: int
    quantity = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cart_line"
        unique_together = (("cart", "product"),)
        ordering = ("id",)
