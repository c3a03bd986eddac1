"""The cart: one query and four mutations, all for the signed-in shopper."""

from __future__ import annotations

import strawberry

from flashmart.cart import services
from flashmart.graphql.cart.types import Cart
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError, UserErrorsExtension
from flashmart.graphql.ids import decode_id
from flashmart.graphql.permissions import IsAuthenticated


@strawberry.type(description="The cart after the change, and why it did not happen if it did not.")
class CartPayload:
    cart: Cart | None
    user_errors: list[UserError]


def _payload(view: services.CartView) -> CartPayload:
    return CartPayload(cart=Cart.from_view(view), user_errors=[])


@strawberry.type
class CartQueries:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Your cart.")
    async def cart(self, info: Info) -> Cart:
        return Cart.from_view(await services.view_cart(info.context.require_viewer().user_id))


@strawberry.type
class CartMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description="Add units of a product (merged into its line, at most the line maximum).",
    )
    async def cart_add_item(
        self, info: Info, product_id: strawberry.ID, quantity: int
    ) -> CartPayload:
        return _payload(
            await services.add_item(
                user_id=info.context.require_viewer().user_id,
                product_id=decode_id(product_id, "Product"),
                quantity=quantity,
                maximum=info.context.settings.cart_max_line_quantity,
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description="Set a line's units.",
    )
    async def cart_update_item(
        self, info: Info, line_id: strawberry.ID, quantity: int
    ) -> CartPayload:
        return _payload(
            await services.update_item(
                user_id=info.context.require_viewer().user_id,
                line_id=decode_id(line_id, "CartLine"),
                quantity=quantity,
                maximum=info.context.settings.cart_max_line_quantity,
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description="Remove a line.",
    )
    async def cart_remove_item(self, info: Info, line_id: strawberry.ID) -> CartPayload:
        return _payload(
            await services.remove_item(
                user_id=info.context.require_viewer().user_id,
                line_id=decode_id(line_id, "CartLine"),
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description="Empty the cart.",
    )
    async def cart_clear(self, info: Info) -> CartPayload:
        return _payload(await services.clear(info.context.require_viewer().user_id))
