"""Builders shared by the payments tests: shoppers, placed orders, signed webhooks."""

from __future__ import annotations

import time
from decimal import Decimal
from itertools import count

from flashmart.accounts.models import User
from flashmart.cart import services as cart
from flashmart.catalog.models import Product
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.orders.checkout import checkout
from flashmart.orders.models import Order, OrderEvent
from flashmart.payments import sandbox
from flashmart.payments import services as payments
from flashmart.payments.models import (
    Payment,
    PaymentStatus,
    PaymentWebhook,
    Refund,
    SandboxCharge,
)
from tests.backend.addresses.factories import SHIP_HOME

_serial = count(1)


async def shopper(email: str | None = None) -> User:
    return await User.create(
        email=email or f"shopper{next(_serial)}@example.com", password_hash="x"
    )


async def placed_order(
    runtime: Runtime, user: User, *, price: str = "59.00", quantity: int = 1, stock: int = 10
) -> Order:
    """A PENDING_PAYMENT order of one product line, placed through the real checkout."""
    n = next(_serial)
    product = await Product.create(
        name=f"Kettle {n}", slug=f"kettle-{n}", price=Decimal(price), stock=stock
    )
    await cart.add_item(user_id=user.id, product_id=product.id, quantity=quantity, maximum=99)
    return await checkout(runtime, user_id=user.id, idempotency_key=f"k-{n}", destination=SHIP_HOME)


async def bank_decides(reference: str, status: PaymentStatus) -> None:
    """The sandbox's side of a decision (what the pay page records), without its webhook job."""
    await SandboxCharge.filter(reference=reference, status=PaymentStatus.PENDING).update(
        status=status
    )


def signed(
    settings: Settings,
    *,
    reference: str,
    status: PaymentStatus = PaymentStatus.SUCCEEDED,
    nonce: str | None = None,
    timestamp: int | None = None,
    secret: str | None = None,
) -> tuple[bytes, dict[str, str]]:
    """A webhook as the sandbox provider sends it: (raw body, headers)."""
    body = sandbox.webhook_body(
        reference=reference,
        status=status,
        timestamp=int(time.time()) if timestamp is None else timestamp,
        nonce=nonce or sandbox.new_nonce(),
    )
    signature = sandbox.sign(body, secret or settings.payment_webhook_secret)
    return body, {"content-type": "application/json", sandbox.SIGNATURE_HEADER: signature}


async def snapshot(order_id: int) -> tuple[object, ...]:
    """Everything a webhook may change, to assert that a refused one changed nothing."""
    order = await Order.get(id=order_id)
    payments = [
        (p.status, p.settled_at) for p in await Payment.filter(order_id=order_id).order_by("id")
    ]
    return (
        order.status,
        order.paid_at,
        payments,
        await OrderEvent.filter(order_id=order_id).count(),
        await PaymentWebhook.all().count(),
        await Refund.all().count(),
    )


async def settle(runtime: Runtime, payment: Payment, status: PaymentStatus) -> bool:
    """The shopper decides on the pay page; its webhook reaches FlashMart. True: it changed."""
    await bank_decides(payment.provider_reference or "", status)
    body, headers = signed(
        runtime.settings, reference=payment.provider_reference or "", status=status
    )
    result = await payments.receive_webhook(
        runtime, provider_name="sandbox", body=body, headers=headers
    )
    return result.changed
