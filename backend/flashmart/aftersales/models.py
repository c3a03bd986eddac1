from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from flashmart.accounts.models import User
from flashmart.orders.models import Order


class RefundType(StrEnum):
    REFUND = "REFUND"  # asked before the order shipped: money back, units back on sale
    RETURN_AND_REFUND = "RETURN_AND_REFUND"  # after shipping: the goods come back first


class RefundState(StrEnum):
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"  # a return the shop accepted, waiting for the goods
    REFUNDED = "REFUNDED"
    DECLINED = "DECLINED"


class RefundRequest(Model):
    """A shopper's request for their money back (services.py holds the state machine)."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="refund_requests", on_delete=fields.RESTRICT
    )
    order_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refund_requests", on_delete=fields.RESTRICT
    )
    user_id: int
    type = fields.CharEnumField(RefundType, max_length=20)
    state = fields.CharEnumField(RefundState, max_length=16, default=RefundState.REQUESTED)
    reason = fields.CharField(max_length=500)
    return_tracking_number = fields.CharField(max_length=64, null=True)
    decline_reason = fields.CharField(max_length=500, default="")
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refund_decisions", null=True, on_delete=fields.SET_NULL
    )
    decided_by_id: int | None
    # The order's id while the request is open (REQUESTED or APPROVED), NULL afterwards: the
    # unique constraint allows one open request per order.
    open_order_id = fields.BigIntField(null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)
    decided_at = fields.DatetimeField(null=True)
    refunded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "aftersales_refund_request"
        indexes = (("state", "created_at"),)
        ordering = ("id",)
