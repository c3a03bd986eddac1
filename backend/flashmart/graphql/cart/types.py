from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry import relay

from flashmart.cart import services
from flashmart.graphql.catalog.types import Product
from flashmart.graphql.context import Info
from flashmart.graphql.scalars import Money


@strawberry.type(description="A product in the cart, at its current price.")
class CartLine(relay.Node):
    id: relay.NodeID[int]
    product: Product
    quantity: int
    total: Money

    @classmethod
    def from_item(cls, item: services.CartItem) -> CartLine:
        return cls(
            id=item.line.id,
            product=Product.from_model(item.product),
            quantity=item.line.quantity,
            total=Money(amount=item.total, currency=item.product.currency),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CartLine | None]:
        return [None for _ in node_ids]  # reachable through the owner's `cart` only


@strawberry.type(description="The signed-in shopper's cart.")
class Cart(relay.Node):
    id: relay.NodeID[int]
    lines: list[CartLine]
    subtotal: Money
    quantity: int = strawberry.field(description="Units in the cart, over all lines.")

    @classmethod
    def from_view(cls, view: services.CartView) -> Cart:
        return cls(
            id=view.cart.id,
            lines=[CartLine.from_item(item) for item in view.items],
            subtotal=Money(amount=view.subtotal, currency=view.currency),
            quantity=view.quantity,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Cart | None]:
        return [None for _ in node_ids]  # reachable through the owner's `cart` only
