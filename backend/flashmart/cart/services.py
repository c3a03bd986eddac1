"""The shopper's cart. Prices are always the products' current ones. No GraphQL here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from flashmart.cart.models import Cart, CartLine
from flashmart.catalog.models import Product
from flashmart.catalog.services import visible_products
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import text

DEFAULT_CURRENCY = "CNY"


@dataclass(frozen=True)
class CartItem:
    line: CartLine
    product: Product

    @property
    def total(self) -> Decimal:
        return self.product.price * self.line.quantity


@dataclass(frozen=True)
class CartView:
    cart: Cart
    items: list[CartItem]

    @property
    def subtotal(self) -> Decimal:
        return sum((item.total for item in self.items), Decimal("0.00"))

    @property
    def quantity(self) -> int:
        return sum(item.line.quantity for item in self.items)

    @property
    def currency(self) -> str:
        return self.items[0].product.currency if self.items else DEFAULT_CURRENCY


def check_quantity(quantity: int, maximum: int) -> None:
    if not 1 <= quantity <= maximum:
        raise DomainFailure(
            DomainError(
                ErrorCode.INVALID,
                text("Quantity must be between 1 and {maximum}", maximum=maximum),
                ("quantity",),
            )
        )


async def _cart_for(user_id: int) -> Cart:
    cart = await Cart.get_or_none(user_id=user_id)
    if cart is not None:
        return cart
    try:
        return await Cart.create(user_id=user_id)
    except IntegrityError:  # created by a concurrent request of the same shopper
        return await Cart.get(user_id=user_id)


async def view_cart(user_id: int) -> CartView:
    cart = await _cart_for(user_id)
    lines = await CartLine.filter(cart=cart).select_related("product")
    items = [CartItem(line=line, product=line.product) for line in lines]
    return CartView(cart=cart, items=items)


async def add_item(*, user_id: int, product_id: int, quantity: int, maximum: int) -> CartView:
    check_quantity(quantity, maximum)
    product = await visible_products().get_or_none(id=product_id)
    if product is None:
        raise DomainFailure(
            DomainError(
                ErrorCode.PRODUCT_UNAVAILABLE, text("This product is not for sale"), ("productId",)
            )
        )
    cart = await _cart_for(user_id)
    line = await CartLine.get_or_none(cart=cart, product_id=product_id)
    if line is None:
        try:
            await CartLine.create(cart=cart, product_id=product_id, quantity=quantity)
            return await view_cart(user_id)
        except IntegrityError:  # a concurrent add created the line: fall through and merge
            line = await CartLine.get(cart=cart, product_id=product_id)
    merged = await CartLine.filter(id=line.id, quantity__lte=maximum - quantity).update(
        quantity=F("quantity") + quantity
    )
    if not merged:
        raise DomainFailure(
            DomainError(
                ErrorCode.INVALID,
                text("A cart line holds at most {maximum} units of one product", maximum=maximum),
                ("quantity",),
            )
        )
    return await view_cart(user_id)


async def _own_line(user_id: int, line_id: int) -> CartLine:
    line = await CartLine.get_or_none(id=line_id, cart__user_id=user_id)
    if line is None:
        raise DomainFailure(
            DomainError(ErrorCode.NOT_FOUND, text("No such cart line"), ("lineId",))
        )
    return line


async def update_item(*, user_id: int, line_id: int, quantity: int, maximum: int) -> CartView:
    check_quantity(quantity, maximum)
    line = await _own_line(user_id, line_id)
    line.quantity = quantity
    await line.save(update_fields=["quantity"])
    return await view_cart(user_id)


async def remove_item(*, user_id: int, line_id: int) -> CartView:
    line = await _own_line(user_id, line_id)
    await line.delete()
    return await view_cart(user_id)


async def clear(user_id: int) -> CartView:
    cart = await _cart_for(user_id)
    await CartLine.filter(cart_id=cart.id).delete()
    return await view_cart(user_id)
