from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from flashmart.accounts.models import User


class Address(Model):
    """A shipping address in a shopper's book; at most one per user is the default."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="addresses", on_delete=fields.CASCADE
    )
    user_id: int
    recipient = fields.CharField(max_length=50)
    phone = fields.CharField(max_length=20)
    region = fields.CharField(max_length=50)  # province, state or region
    city = fields.CharField(max_length=50)
    district = fields.CharField(max_length=50, default="")
    street = fields.CharField(max_length=200)
    postcode = fields.CharField(max_length=12, default="")
    is_default = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "addresses_address"
        ordering = ("id",)
