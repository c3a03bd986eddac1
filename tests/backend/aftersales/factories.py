"""Paid and shipped orders for the after-sales tests, through the real checkout and sandbox."""

from __future__ import annotations

from flashmart.accounts.models import User
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderStatus
from flashmart.payments import services as payments
from flashmart.payments.models import Payment, PaymentStatus
from tests.backend.payments.factories import bank_decides, placed_order, signed


async def settle(runtime: Runtime, payment: Payment, status: PaymentStatus) -> bool:
    """The shopper decides on the pay page; its webhook reaches FlashMart."""
    await bank_decides(payment.provider_reference or "", status)
    body, headers = signed(
        runtime.settings, reference=payment.provider_reference or "", status=status
    )
    result = await payments.receive_webhook(
        runtime, provider_name="sandbox", body=body, headers=headers
    )
    return result.changed


async def paid_order(
    runtime: Runtime, user: User, *, quantity: int = 1, stock: int = 10, price: str = "59.00"
) -> Order:
    """A PAID order, paid through the sandbox provider (so a refund goes back through it)."""
    order = await placed_order(runtime, user, quantity=quantity, stock=stock, price=price)
    payment = await payments.create_payment(runtime, user_id=user.id, order_id=order.id)
    assert await settle(runtime, payment, PaymentStatus.SUCCEEDED)
    order = await Order.get(id=order.id)
    assert order.status is OrderStatus.PAID
    return order


async def shipped_order(runtime: Runtime, user: User, admin: User, **kwargs: object) -> Order:
    order = await paid_order(runtime, user, **kwargs)  # type: ignore[arg-type]
    return await orders.admin_set_status(
        runtime, admin_id=admin.id, order_id=order.id, target=OrderStatus.SHIPPED
    )
