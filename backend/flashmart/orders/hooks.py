"""How units of a flash-sale order go back when the order is cancelled, expires or is refunded.

The orders domain knows an order came from a sale (`Order.seckill_event_id`) but not how a
sale keeps its units: the flash-sale domain registers that here (`flashmart.seckill.returns`,
imported with the flash-sale models, so it is in place wherever the database is), and
`services.change_status` calls it. Orders import nothing from the flash-sale domain.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order


@dataclass(frozen=True)
class SaleUnits:
    """`in_transaction(order, units)` runs inside the status change's transaction;
    `after_commit(runtime, order)` after it (Redis follows the database)."""

    in_transaction: Callable[[Order, int], Awaitable[None]]
    after_commit: Callable[[Runtime, Order], Awaitable[None]]


_registered: list[SaleUnits] = []


def register_sale_units(handler: SaleUnits) -> None:
    _registered[:] = [handler]


def sale_units() -> SaleUnits:
    if not _registered:
        raise RuntimeError("no flash-sale domain registered how sale units go back")
    return _registered[0]
