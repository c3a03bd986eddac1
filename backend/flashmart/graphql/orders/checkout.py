"""The checkout review, "buy now", an unpaid order's address and shipping a parcel: thin
resolvers over `flashmart.orders.checkout` and `flashmart.orders.shipping`."""

from __future__ import annotations

import strawberry

from flashmart.addresses import services as addresses
from flashmart.addresses.services import Destination
from flashmart.core.errors import DomainFailure
from flashmart.graphql.addresses.types import Address, AddressInput, destination
from flashmart.graphql.catalog.types import Product
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserErrorsExtension
from flashmart.graphql.ids import decode_id
from flashmart.graphql.orders.mutations import OrderPayload, order_payload
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated
from flashmart.graphql.scalars import Money
from flashmart.orders import checkout, shipping


@strawberry.type(description="A line of the checkout review, at the product's current price.")
class CheckoutLine:
    product: Product
    quantity: int
    unit_price: Money
    total: Money


@strawberry.type(description="What confirming the checkout would charge now.")
class CheckoutPreview:
    lines: list[CheckoutLine]
    subtotal: Money
    shipping: Money = strawberry.field(
        description="SHIPPING_FEE, or nothing from FREE_SHIPPING_OVER of subtotal up."
    )
    total: Money
    address: Address | None = strawberry.field(
        description=(
            "The address `addressId` names (null if it is not yours); without it, your default."
        )
    )

    @classmethod
    def build(cls, review: checkout.Review, address: Address | None) -> CheckoutPreview:
        def money(amount: object) -> Money:
            return Money(amount=amount, currency=review.currency)  # type: ignore[arg-type]

        return cls(
            lines=[
                CheckoutLine(
                    product=Product.from_model(item.product),
                    quantity=item.quantity,
                    unit_price=money(item.product.price),
                    total=money(item.product.price * item.quantity),
                )
                for item in review.items
            ],
            subtotal=money(review.subtotal),
            shipping=money(review.shipping),
            total=money(review.total),
            address=address,
        )


@strawberry.type
class CheckoutQueries:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "Review before confirming: your cart's lines, or with `productId` a buy-now of "
            "`quantity` units, with subtotal, shipping and total. Nothing is reserved."
        ),
    )
    async def checkout_preview(
        self,
        info: Info,
        address_id: strawberry.ID | None = None,
        product_id: strawberry.ID | None = None,
        quantity: int = 1,
    ) -> CheckoutPreview | None:
        user_id = info.context.require_viewer().user_id
        try:
            review = await checkout.review(
                info.context.runtime,
                user_id=user_id,
                product_id=decode_id(product_id, "Product") if product_id else None,
                quantity=quantity,
            )
        except DomainFailure:  # no such product, or a quantity out of bounds
            return None
        chosen = await addresses.chosen_address(
            user_id=user_id, address_id=decode_id(address_id, "Address") if address_id else None
        )
        return CheckoutPreview.build(review, Address.from_model(chosen) if chosen else None)


@strawberry.type
class CheckoutMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Order `quantity` units of one product now, leaving the cart alone: the same "
            "stock-taking and idempotency as `checkoutComplete` (the same key returns the same "
            "order). Ships to `addressId`, or to `address` (saved when `saveAddress`)."
        ),
    )
    async def checkout_buy_now(
        self,
        info: Info,
        product_id: strawberry.ID,
        quantity: int,
        idempotency_key: str,
        address_id: strawberry.ID | None = None,
        address: AddressInput | None = None,
        save_address: bool = False,
    ) -> OrderPayload:
        return order_payload(
            await checkout.buy_now(
                info.context.runtime,
                user_id=info.context.require_viewer().user_id,
                product_id=decode_id(product_id, "Product"),
                quantity=quantity,
                idempotency_key=idempotency_key,
                destination=destination(address_id, address, save_address) or Destination(),
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Set where your unpaid order ships (a flash sale's order has no address until "
            "then): `addressId` of your book, or `address` (saved when `saveAddress`)."
        ),
    )
    async def order_set_shipping_address(
        self,
        info: Info,
        id: strawberry.ID,
        address_id: strawberry.ID | None = None,
        address: AddressInput | None = None,
        save_address: bool = False,
    ) -> OrderPayload:
        return order_payload(
            await shipping.ship_own_order_to(
                info.context.runtime,
                user_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
                destination=destination(address_id, address, save_address) or Destination(),
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Ship a paid order: records the carrier and tracking number (4 to 40 letters, "
            "digits and dashes) and moves it to SHIPPED; the shopper sees both."
        ),
    )
    async def order_ship(
        self, info: Info, id: strawberry.ID, carrier: str, tracking_number: str
    ) -> OrderPayload:
        return order_payload(
            await shipping.ship_order(
                info.context.runtime,
                admin_id=info.context.require_viewer().user_id,
                order_id=decode_id(id, "Order"),
                carrier=carrier,
                tracking_number=tracking_number,
            )
        )
