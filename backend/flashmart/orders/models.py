from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from flashmart.accounts.models import User
from flashmart.catalog.models import Product


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "PENDING_PAYMENT"
    PAID = "PAID"
    SHIPPED = "SHIPPED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    REFUNDED = "REFUNDED"


class Order(Model):
    id = fields.BigIntField(primary_key=True)
    number = fields.CharField(max_length=32, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="orders", on_delete=fields.RESTRICT
    )
    user_id: int
    status = fields.CharEnumField(OrderStatus, max_length=20, default=OrderStatus.PENDING_PAYMENT)
    total = fields.DecimalField(max_digits=12, decimal_places=2)
    currency = fields.CharField(max_length=3, default="CNY")
    idempotency_key = fields.CharField(max_length=64, null=True)
    # The flash sale whose reservation made the order (typed loosely: orders do not import
    # the flash-sale domain).
    seckill_event: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "models.SeckillEvent", related_name="orders", null=True, on_delete=fields.RESTRICT
    )
    seckill_event_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)
    paid_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True, db_index=True)
    # Checkout and fulfilment (docs/checkout.md): a copy of the address the order ships to
    # (the book may change later), the shipping fee included in `total`, and the parcel.
    shipping_address: dict[str, str] | None = fields.JSONField(null=True)
    shipping_fee = fields.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    carrier = fields.CharField(max_length=40, null=True)
    tracking_number = fields.CharField(max_length=40, null=True)
    shipped_at = fields.DatetimeField(null=True)

    class Meta:
        table = "orders_order"
        unique_together = (("user", "idempotency_key"),)
        indexes = (("status", "expires_at"),)


class OrderLine(Model):
    """A product line, with name and unit price captured at checkout."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="lines", on_delete=fields.CASCADE
    )
    order_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="order_lines", on_delete=fields.RESTRICT
    )
    product_id: int
    product_name = fields.CharField(max_length=200)
    unit_price = fields.DecimalField(max_digits=12, decimal_places=2)
    quantity = fields.IntField()

    class Meta:
        table = "orders_line"
        ordering = ("id",)


class OrderEvent(Model):
    """Append-only history of an order's status: who moved it, from what, to what, when."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="events", on_delete=fields.CASCADE
    )
    order_id: int
    from_status = fields.CharEnumField(OrderStatus, max_length=20, null=True)
    to_status = fields.CharEnumField(OrderStatus, max_length=20)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="order_events", null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    reason = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "orders_event"
        ordering = ("id",)
