"""Payment operations: thin resolvers over `flashmart.payments.services`."""

from __future__ import annotations

import strawberry

from flashmart.graphql.addresses.types import AddressInput, destination
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError, UserErrorsExtension
from flashmart.graphql.ids import decode_id
from flashmart.graphql.payments.types import Payment
from flashmart.graphql.permissions import IsAuthenticated
from flashmart.payments import services


@strawberry.type(description="A payment, or why none was opened.")
class PaymentPayload:
    payment: Payment | None
    user_errors: list[UserError]


@strawberry.type
class PaymentMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Open a payment for your unpaid order (amount: the order's total). Calling it again "
            "returns the same pending payment; after a decline it opens a new one. An order "
            "without a shipping address (a flash sale's) needs `addressId` or `address` first "
            "(ADDRESS_REQUIRED otherwise); given, they set the address before paying."
        ),
    )
    async def payment_create(
        self,
        info: Info,
        order_id: strawberry.ID,
        address_id: strawberry.ID | None = None,
        address: AddressInput | None = None,
        save_address: bool = False,
    ) -> PaymentPayload:
        viewer = info.context.require_viewer()
        payment = await services.create_payment(
            info.context.runtime,
            user_id=viewer.user_id,
            order_id=decode_id(order_id, "Order"),
            destination=destination(address_id, address, save_address),
        )
        return PaymentPayload(payment=Payment.from_model(payment), user_errors=[])
