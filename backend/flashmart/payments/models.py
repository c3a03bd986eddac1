from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from flashmart.orders.models import Order


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    REFUNDED = "REFUNDED"


class Payment(Model):
    """One attempt to pay an order through a provider; the amount is the order's total."""

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="payments", on_delete=fields.RESTRICT, db_index=True
    )
    order_id: int
    provider = fields.CharField(max_length=32)
    status = fields.CharEnumField(PaymentStatus, max_length=16, default=PaymentStatus.PENDING)
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    currency = fields.CharField(max_length=3)
    # The provider's id of this payment (webhooks name it); set when the provider accepted it.
    provider_reference = fields.CharField(max_length=128, null=True)
    pay_url = fields.CharField(max_length=500, default="")
    # The order's id while this payment is PENDING, NULL afterwards: the unique constraint
    # allows one open payment per order, so concurrent `paymentCreate` calls share it.
    open_order_id = fields.BigIntField(null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    settled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payments_payment"
        unique_together = (("provider", "provider_reference"),)
        indexes = (("status", "created_at"),)  # reconciliation scans pending payments by age
        ordering = ("id",)


class PaymentWebhook(Model):
    """Every accepted webhook, by its nonce: a redelivery is recognised by the same digest."""

    id = fields.BigIntField(primary_key=True)
    provider = fields.CharField(max_length=32)
    nonce = fields.CharField(max_length=128)
    body_digest = fields.CharField(max_length=64)  # hex SHA-256 of the raw body
    payment: fields.ForeignKeyNullableRelation[Payment] = fields.ForeignKeyField(
        "models.Payment", related_name="webhooks", null=True, on_delete=fields.SET_NULL
    )
    payment_id: int | None
    reported_status = fields.CharEnumField(PaymentStatus, max_length=16)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payments_webhook"
        unique_together = (("provider", "nonce"),)


class Refund(Model):
    """Money given back through the provider (one full refund per payment)."""

    id = fields.BigIntField(primary_key=True)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "models.Payment", related_name="refunds", on_delete=fields.RESTRICT, db_index=True
    )
    payment_id: int
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    currency = fields.CharField(max_length=3)
    provider_reference = fields.CharField(max_length=128)
    # Also sent to the provider, so a retried refund never pays out twice.
    idempotency_key = fields.CharField(max_length=64, unique=True)
    reason = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payments_refund"
        ordering = ("id",)


class SandboxCharge(Model):
    """The sandbox provider's own ledger: what an outside provider keeps on its side.

    FlashMart's order code never reads it; only `flashmart.payments.sandbox` does.
    """

    id = fields.BigIntField(primary_key=True)
    reference = fields.CharField(max_length=64, unique=True)  # in the pay URL and the webhooks
    merchant_reference = fields.CharField(max_length=64, unique=True)  # our Payment id
    merchant_name = fields.CharField(max_length=100)
    order_number = fields.CharField(max_length=32)
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    currency = fields.CharField(max_length=3)
    status = fields.CharEnumField(PaymentStatus, max_length=16, default=PaymentStatus.PENDING)
    refund_reference = fields.CharField(max_length=64, null=True)
    refund_key = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payments_sandbox_charge"
