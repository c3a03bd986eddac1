"""Shipping: the fee rule, an unpaid order's address, and the parcel an administrator sends.
No GraphQL here (docs/checkout.md).

Kept apart from the lifecycle in `services.py`: shipping reads and writes only the order's
shipping columns, and moves status only through `services.change_status`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from tortoise.transactions import in_transaction

from flashmart.addresses import services as addresses
from flashmart.addresses.services import Destination
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import text
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.orders import services
from flashmart.orders.events import publish_order_updated
from flashmart.orders.models import Order, OrderStatus

CARRIER_MAX = 40
TRACKING_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{3,39}")


def shipping_fee(settings: Settings, subtotal: Decimal) -> Decimal:
    """SHIPPING_FEE, or nothing from FREE_SHIPPING_OVER of subtotal up (0: never free)."""
    threshold = settings.free_shipping_over
    if threshold > 0 and subtotal >= threshold:
        return Decimal("0.00")
    return settings.shipping_fee.quantize(Decimal("0.01"))


def require_address(order: Order, *field: str) -> None:
    """Refuse (ADDRESS_REQUIRED) to go on with an order that has nowhere to ship."""
    if order.shipping_address is None:
        raise DomainFailure(
            DomainError(
                ErrorCode.ADDRESS_REQUIRED,
                text("Choose a shipping address for this order first"),
                field or None,
            )
        )


async def ship_own_order_to(
    runtime: Runtime, *, user_id: int, order_id: int, destination: Destination
) -> Order:
    """Give the shopper's own unpaid order (a flash sale's, or one placed without an address)
    the address to ship to; it may change until the order is paid."""
    order = await Order.get_or_none(id=order_id, user_id=user_id)
    if order is None:
        raise DomainFailure(DomainError(ErrorCode.NOT_FOUND, text("No such order"), ("id",)))
    if order.status is not OrderStatus.PENDING_PAYMENT:
        raise _unpaid_only(order)
    async with in_transaction():
        snapshot = await addresses.destination_snapshot(
            destination, user_id=user_id, settings=runtime.settings
        )
        moved = await Order.filter(
            id=order_id, user_id=user_id, status=OrderStatus.PENDING_PAYMENT
        ).update(shipping_address=snapshot, updated_at=datetime.now(UTC))
        if not moved:  # paid, cancelled or expired meanwhile
            await order.refresh_from_db()
            raise _unpaid_only(order)
    await order.refresh_from_db()
    await publish_order_updated(runtime, order)
    return order


def _unpaid_only(order: Order) -> DomainFailure:
    return DomainFailure(
        DomainError(
            ErrorCode.INVALID_STATE,
            text(
                "The address of an order that is {status} cannot change",
                status=order.status.value,
            ),
            ("id",),
        )
    )


def clean_parcel(carrier: str, tracking_number: str) -> tuple[str, str]:
    """(carrier, tracking number) trimmed, or `DomainFailure` naming each bad one."""
    carrier = " ".join(carrier.split())
    tracking = tracking_number.strip().upper()
    errors: list[DomainError] = []
    if not 1 <= len(carrier) <= CARRIER_MAX:
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                text("Enter the carrier (1 to {maximum} characters)", maximum=CARRIER_MAX),
                ("carrier",),
            )
        )
    if not TRACKING_NUMBER.fullmatch(tracking):
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                text("A tracking number has 4 to 40 letters, digits and dashes"),
                ("trackingNumber",),
            )
        )
    if errors:
        raise DomainFailure(*errors)
    return carrier, tracking


async def ship_order(
    runtime: Runtime, *, admin_id: int, order_id: int, carrier: str, tracking_number: str
) -> Order:
    """PAID → SHIPPED with the parcel's carrier and tracking number, in one transaction; the
    history records who shipped it and how."""
    carrier, tracking = clean_parcel(carrier, tracking_number)
    async with in_transaction():
        change = await services.change_status(
            runtime,
            order_id=order_id,
            target=OrderStatus.SHIPPED,
            actor_id=admin_id,
            reason=f"shipped with {carrier}, tracking {tracking}"[:200],
            publish=False,
        )
        await Order.filter(id=order_id).update(
            carrier=carrier, tracking_number=tracking, shipped_at=datetime.now(UTC)
        )
    order = change.order
    await order.refresh_from_db()
    await publish_order_updated(runtime, order)
    return order
