"""Give a cancelled, expired or refunded flash-sale order's units back to its sale.

Registered with the orders domain (`flashmart.orders.hooks`) when the flash-sale package is
imported, which Tortoise does with the models: orders never import this domain.
"""

from __future__ import annotations

from tortoise.expressions import F

from flashmart.catalog import services as catalog
from flashmart.core.runtime import Runtime
from flashmart.orders.hooks import SaleUnits, register_sale_units
from flashmart.orders.models import Order
from flashmart.seckill.models import SeckillEvent, SeckillTicket
from flashmart.seckill.store import SaleStore


async def return_in_transaction(order: Order, units: int) -> None:
    """The database's side, inside the order's status change: the units leave the sale's
    `sold`; once the sale has closed they go back to the product instead.

    Whether the sale is closed is decided by the conditional update itself, never by a read
    before it: the update takes the sale's row lock, which `reconcile.close_if_done` also takes
    to set `closed_at`. A return that got the lock first lowers `sold` before the close reads
    it, so the close gives the unit to the product; a return that waited for a close sees
    `closed_at` set (PostgreSQL re-checks the condition on the row the close committed),
    updates nothing and gives the unit to the product itself. A unit is never lost or given
    twice."""
    event_id = order.seckill_event_id
    if await SeckillEvent.filter(id=event_id, closed_at__isnull=True).update(
        sold=F("sold") - units
    ):
        return
    await SeckillEvent.filter(id=event_id).update(sold=F("sold") - units)
    event = await SeckillEvent.get(id=event_id)
    await catalog.increment_stock(event.product_id, units)


async def return_to_redis(runtime: Runtime, order: Order) -> None:
    """Redis's side, after the commit: the units are on sale again. Idempotent per ticket; the
    reconciler repeats it for any release a crash interrupted."""
    ticket = await SeckillTicket.get_or_none(order_id=order.id)
    if ticket is None:
        return
    event = await SeckillEvent.get(id=ticket.event_id)
    if event.closed_at is not None:  # the database already gave the units to the product
        return
    await SaleStore.of(runtime).release(
        event_id=event.id, ticket_id=ticket.id, user_id=ticket.user_id, quantity=ticket.quantity
    )


register_sale_units(SaleUnits(in_transaction=return_in_transaction, after_commit=return_to_redis))
