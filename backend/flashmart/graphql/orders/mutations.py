"""Checkout and order status changes: thin resolvers over `flashmart.orders.services`."""

from __future__ import annotations

from collections.abc import Awaitable

import strawberry

from flashmart.core.errors import DomainFailure
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError
from flashmart.graphql.ids import decode_id
from flashmart.graphql.orders.types import Order, OrderStatus
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated
from flashmart.orders import models, services
from flashmart.payments import services as payments


@strawberry.type(description="An order, or why the operation changed nothing.")
class OrderPayload:
    order: Order | None
    user_errors: list[UserError]


async def _order_payload(operation: Awaitable[models.Order]) -> OrderPayload:
    try:
        order = await operation
    except DomainFailure as failure:
        return OrderPayload(order=None, user_errors=UserError.many(failure.errors))
    return OrderPayload(order=Order.from_model(order), user_errors=[])


@strawberry.type
class OrderMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description=(
            "Turn your cart into one order, taking stock atomically. Send a fresh key per "
            "checkout attempt: the same key returns the same order and changes nothing more."
        ),
    )
    async def checkout_complete(self, info: Info, idempotency_key: str) -> OrderPayload:
        return await _order_payload(
            services.checkout(
                info.context.runtime,
                user_id=info.context.require_viewer().user_id,
                idempotency_key=idempotency_key,
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Cancel your unpaid order; its units go back on sale.",
    )
    async def order_cancel(self, info: Info, id: strawberry.ID) -> OrderPayload:
        return await _order_payload(
            services.cancel_order(
                info.context.runtime,
                user_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Ship, complete or cancel an order along the state machine (`nextStatuses`).",
    )
    async def order_status_update(
        self,
        info: Info,
        id: strawberry.ID,
        status: OrderStatus,  # type: ignore[valid-type]
    ) -> OrderPayload:
        return await _order_payload(
            services.admin_set_status(
                info.context.runtime,
                admin_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
                target=status,
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "Refund a paid order that has not shipped: the money goes back through the payment "
            "provider and its units go back on sale."
        ),
    )
    async def order_refund(self, info: Info, id: strawberry.ID) -> OrderPayload:
        return await _order_payload(
            payments.refund_order(
                info.context.runtime,
                admin_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
            )
        )
