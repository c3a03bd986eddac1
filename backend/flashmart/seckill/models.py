from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from flashmart.catalog.models import Product


class SeckillEvent(Model):
    """A flash sale: `total_stock` units of a product at `price` from `starts_at` to `ends_at`."""

    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="seckill_events", on_delete=fields.RESTRICT
    )
    price = fields.DecimalField(max_digits=12, decimal_places=2)
    total_stock = fields.IntField()
    sold = fields.IntField(default=0)
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField(db_index=True)
    per_user_limit = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "seckill_event"
