"""Give a cancelled, expired or refunded flash-sale order's units back to the event in Redis.

Kept apart from `services` so the orders domain can call it without importing the seckill
services (which themselves create orders).
"""

from __future__ import annotations

from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order
from flashmart.seckill import store
from flashmart.seckill.models import SeckillEvent, SeckillTicket


async def return_order_units(runtime: Runtime, order: Order) -> None:
    """Idempotent per ticket; the reconciler repeats it for any release a crash interrupted."""
    ticket = await SeckillTicket.get_or_none(order_id=order.id)
    if ticket is None:
        return
    event = await SeckillEvent.get(id=ticket.event_id)  # type: ignore[attr-defined]
    if event.closed_at is not None:  # the database already gave the units to the product
        return
    await store.release(
        runtime.redis,
        runtime.keys,
        event_id=event.id,
        ticket_id=ticket.id,
        user_id=ticket.user_id,  # type: ignore[attr-defined]
        quantity=ticket.quantity,
    )
