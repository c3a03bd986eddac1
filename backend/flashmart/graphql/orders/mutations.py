"""Checkout and order status changes: thin resolvers over `flashmart.orders.services`."""

from __future__ import annotations

import strawberry

from flashmart.graphql.addresses.types import AddressInput, destination
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError, UserErrorsExtension
from flashmart.graphql.ids import decode_id
from flashmart.graphql.orders.types import Order, OrderStatus
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated
from flashmart.orders import checkout, models, services, shipping
from flashmart.payments import services as payments


@strawberry.type(description="An order, or why the operation changed nothing.")
class OrderPayload:
    order: Order | None
    user_errors: list[UserError]


def order_payload(order: models.Order) -> OrderPayload:
    return OrderPayload(order=Order.from_model(order), user_errors=[])


@strawberry.type
class OrderMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Turn your cart into one order, taking stock atomically. Send a fresh key per "
            "checkout attempt: the same key returns the same order and changes nothing more. "
            "The order ships to `addressId` (one of your book) or to `address` (added to your "
            "book when `saveAddress`); without either it has no address until paid for."
        ),
    )
    async def checkout_complete(
        self,
        info: Info,
        idempotency_key: str,
        address_id: strawberry.ID | None = None,
        address: AddressInput | None = None,
        save_address: bool = False,
    ) -> OrderPayload:
        return order_payload(
            await checkout.checkout(
                info.context.runtime,
                user_id=info.context.require_viewer().user_id,
                idempotency_key=idempotency_key,
                destination=destination(address_id, address, save_address),
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description="Cancel your unpaid order; its units go back on sale.",
    )
    async def order_cancel(self, info: Info, id: strawberry.ID) -> OrderPayload:
        return order_payload(
            await services.cancel_order(
                info.context.runtime,
                user_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Ship, complete or cancel an order along the state machine (`nextStatuses`). "
            "SHIPPED with `carrier` and `trackingNumber` records the parcel as `orderShip` does."
        ),
    )
    async def order_status_update(
        self,
        info: Info,
        id: strawberry.ID,
        status: OrderStatus,  # type: ignore[valid-type]
        carrier: str | None = None,
        tracking_number: str | None = None,
    ) -> OrderPayload:
        if status is models.OrderStatus.SHIPPED and (carrier or tracking_number):
            return order_payload(
                await shipping.ship_order(
                    info.context.runtime,
                    admin_id=info.context.require_viewer().user_id,
                    order_id=decode_id(id, "Order"),
                    carrier=carrier or "",
                    tracking_number=tracking_number or "",
                )
            )
        return order_payload(
            await services.admin_set_status(
                info.context.runtime,
                admin_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
                target=status,
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Refund a paid order that has not shipped: the money goes back through the payment "
            "provider and its units go back on sale."
        ),
    )
    async def order_refund(self, info: Info, id: strawberry.ID) -> OrderPayload:
        return order_payload(
            await payments.refund_order(
                info.context.runtime,
                admin_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
            )
        )
