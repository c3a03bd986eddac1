"""Paid and shipped orders for the after-sales tests, through the real checkout and sandbox."""

from __future__ import annotations

from flashmart.accounts.models import User
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderStatus
from flashmart.payments import services as payments
from flashmart.payments.models import PaymentStatus
from tests.backend.payments.factories import placed_order, settle


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
