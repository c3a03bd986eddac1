"""Cart, checkout and orders over GraphQL: flows, ownership and bad input."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Product
from flashmart.graphql.ids import encode_id
from flashmart.orders.models import Order
from tests.backend.helpers import Api, token_for

ERRORS = "userErrors { field message code }"
CART = f"cart {{ id quantity subtotal {{ amount currency }} lines {{ id quantity total {{ amount }} product {{ name }} }} }} {ERRORS}"
ADD = f"mutation($p: ID!, $q: Int!) {{ cartAddItem(productId: $p, quantity: $q) {{ {CART} }} }}"
UPDATE = f"mutation($l: ID!, $q: Int!) {{ cartUpdateItem(lineId: $l, quantity: $q) {{ {CART} }} }}"
REMOVE = f"mutation($l: ID!) {{ cartRemoveItem(lineId: $l) {{ {CART} }} }}"
ORDER = "order { id number status total { amount currency } expiresAt lines { productName quantity unitPrice { amount } total { amount } } events { fromStatus toStatus } nextStatuses user { email } }"
CHECKOUT = (
    f"mutation($k: String!) {{ checkoutComplete(idempotencyKey: $k) {{ {ORDER} {ERRORS} }} }}"
)
CANCEL = f"mutation($id: ID!) {{ orderCancel(id: $id) {{ {ORDER} {ERRORS} }} }}"


async def _user(email: str, role: Role = Role.CUSTOMER) -> str:
    user = await User.create(email=email, password_hash="x", role=role)
    return token_for(user.id, role)


async def _product(name: str, price: str, stock: int, **extra: Any) -> str:
    product = await Product.create(
        name=name, slug=name.lower(), price=Decimal(price), stock=stock, **extra
    )
    return encode_id("Product", product.id)


async def test_cart_to_order_to_cancel(api: Api) -> None:
    api.token = await _user("ann@example.com")
    kettle, lamp = await _product("Kettle", "24.50", 10), await _product("Lamp", "10.00", 10)
    await api.gql(ADD, {"p": kettle, "q": 1})
    await api.gql(ADD, {"p": kettle, "q": 1})  # merged into the same line
    added = (await api.gql(ADD, {"p": lamp, "q": 3}))["data"]["cartAddItem"]
    assert added["userErrors"] == []
    cart = added["cart"]
    assert cart["quantity"] == 5 and cart["subtotal"] == {"amount": "79.00", "currency": "CNY"}
    assert [(line["product"]["name"], line["quantity"]) for line in cart["lines"]] == [
        ("Kettle", 2),
        ("Lamp", 3),
    ]

    lamp_line = cart["lines"][1]["id"]
    updated = (await api.gql(UPDATE, {"l": lamp_line, "q": 1}))["data"]["cartUpdateItem"]["cart"]
    assert updated["subtotal"]["amount"] == "59.00"

    placed = (await api.gql(CHECKOUT, {"k": "attempt-1"}))["data"]["checkoutComplete"]
    assert placed["userErrors"] == []
    order = placed["order"]
    assert order["status"] == "PENDING_PAYMENT" and order["total"]["amount"] == "59.00"
    assert order["user"] == {"email": "ann@example.com"}
    assert order["events"] == [{"fromStatus": None, "toStatus": "PENDING_PAYMENT"}]
    assert set(order["nextStatuses"]) == {"PAID", "CANCELLED", "EXPIRED"}
    again = (await api.gql(CHECKOUT, {"k": "attempt-1"}))["data"]["checkoutComplete"]["order"]
    assert again["id"] == order["id"]
    assert (await api.gql(f"{{ {CART} }}".replace(f" {ERRORS}", "")))["data"]["cart"]["lines"] == []

    listed = await api.gql("{ orders(first: 10) { totalCount edges { node { number status } } } }")
    assert listed["data"]["orders"]["totalCount"] == 1

    cancelled = (await api.gql(CANCEL, {"id": order["id"]}))["data"]["orderCancel"]["order"]
    assert cancelled["status"] == "CANCELLED"
    assert [p.stock for p in await Product.all().order_by("id")] == [10, 10]
    twice = (await api.gql(CANCEL, {"id": order["id"]}))["data"]["orderCancel"]
    assert twice["order"] is None and twice["userErrors"][0]["code"] == "INVALID_STATE"


async def test_shoppers_cannot_see_or_touch_each_others_orders(api: Api) -> None:
    owner = await _user("owner@example.com")
    thief = await _user("thief@example.com")
    admin = await _user("boss@example.com", Role.ADMIN)
    product = await _product("Phone", "100.00", 5)
    await api.gql(ADD, {"p": product, "q": 1}, token=owner)
    order_id = (await api.gql(CHECKOUT, {"k": "k"}, token=owner))["data"]["checkoutComplete"][
        "order"
    ]["id"]
    read = "query($id: ID!) { order(id: $id) { number } node(id: $id) { id } }"
    assert (await api.gql(read, {"id": order_id}, token=thief))["data"] == {
        "order": None,
        "node": None,
    }
    assert (await api.gql(read, {"id": order_id}, token=admin))["data"]["order"] is not None
    stolen = (await api.gql(CANCEL, {"id": order_id}, token=thief))["data"]["orderCancel"]
    assert stolen["order"] is None and stolen["userErrors"][0]["code"] == "NOT_FOUND"
    assert (await api.gql("{ orders { totalCount } }", token=thief))["data"]["orders"][
        "totalCount"
    ] == 0
    assert (await api.gql("{ orders { totalCount } }", token=admin))["data"]["orders"][
        "totalCount"
    ] == 1
    # Guessing ids: every other order id answers null, never an error revealing existence.
    for guess in range(1, 6):
        probe = await api.gql(read, {"id": encode_id("Order", guess)}, token=thief)
        assert probe["data"]["order"] is None and "errors" not in probe
    assert (await Order.get()).status.value == "PENDING_PAYMENT"


async def test_admin_moves_orders_along_the_state_machine_only(api: Api) -> None:
    shopper = await _user("s@example.com")
    admin = await _user("a@example.com", Role.ADMIN)
    await api.gql(ADD, {"p": await _product("Fan", "30.00", 5), "q": 2}, token=shopper)
    order_id = (await api.gql(CHECKOUT, {"k": "k"}, token=shopper))["data"]["checkoutComplete"][
        "order"
    ]["id"]
    status = f"mutation($id: ID!, $s: OrderStatus!) {{ orderStatusUpdate(id: $id, status: $s) {{ order {{ status }} {ERRORS} }} }}"
    shipped = (await api.gql(status, {"id": order_id, "s": "SHIPPED"}, token=admin))["data"][
        "orderStatusUpdate"
    ]
    assert shipped["order"] is None and shipped["userErrors"][0]["code"] == "INVALID_STATE"
    paid_by_hand = (await api.gql(status, {"id": order_id, "s": "PAID"}, token=admin))["data"][
        "orderStatusUpdate"
    ]
    assert paid_by_hand["userErrors"][0]["code"] == "INVALID_STATE"
    refund = f"mutation($id: ID!) {{ orderRefund(id: $id) {{ order {{ status }} {ERRORS} }} }}"
    early = (await api.gql(refund, {"id": order_id}, token=admin))["data"]["orderRefund"]
    assert early["userErrors"][0]["code"] == "INVALID_STATE"
    # The console offers only what the state machine allows an administrator by hand.
    allowed = "query($id: ID!) { order(id: $id) { status allowedTransitions } }"
    unpaid = (await api.gql(allowed, {"id": order_id}, token=admin))["data"]["order"]
    assert unpaid == {"status": "PENDING_PAYMENT", "allowedTransitions": ["CANCELLED"]}
    as_owner = await api.gql(allowed, {"id": order_id}, token=shopper)
    assert as_owner["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    cancelled = (await api.gql(status, {"id": order_id, "s": "CANCELLED"}, token=admin))["data"][
        "orderStatusUpdate"
    ]
    assert cancelled["order"] == {"status": "CANCELLED"}
    assert (await Product.get()).stock == 5
    final = (await api.gql(allowed, {"id": order_id}, token=admin))["data"]["order"]
    assert final["allowedTransitions"] == []


async def test_bad_input_is_typed_and_writes_nothing(api: Api) -> None:
    api.token = await _user("b@example.com")
    product = await _product("Desk", "80.00", 3)
    hidden = await _product("Secret", "1.00", 3, is_published=False)
    for quantity in (0, -1, 100, 2**31 - 1):
        body = (await api.gql(ADD, {"p": product, "q": quantity}))["data"]["cartAddItem"]
        assert body["cart"] is None and body["userErrors"][0]["code"] == "INVALID", quantity
    unavailable = (await api.gql(ADD, {"p": hidden, "q": 1}))["data"]["cartAddItem"]
    assert unavailable["userErrors"][0]["code"] == "PRODUCT_UNAVAILABLE"
    for bad_id in ("garbage", encode_id("Category", 1), encode_id("Product", 999)):
        body = await api.gql(ADD, {"p": bad_id, "q": 1})
        code = (
            body["errors"][0]["extensions"]["code"]
            if "errors" in body
            else body["data"]["cartAddItem"]["userErrors"][0]["code"]
        )
        assert code in ("BAD_USER_INPUT", "PRODUCT_UNAVAILABLE"), body
    wrong_line = (await api.gql(UPDATE, {"l": encode_id("CartLine", 12345), "q": 1}))["data"][
        "cartUpdateItem"
    ]
    assert wrong_line["userErrors"][0]["code"] == "NOT_FOUND"
    empty = (await api.gql(CHECKOUT, {"k": "k"}))["data"]["checkoutComplete"]
    assert empty["order"] is None and empty["userErrors"][0]["code"] == "CART_EMPTY"
    overflow = await api.gql(ADD, {"p": product, "q": 2**31})
    assert overflow["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await Order.all().count() == 0
    assert (await api.gql(f"{{ {CART} }}".replace(f" {ERRORS}", "")))["data"]["cart"]["lines"] == []


async def test_anonymous_shoppers_must_sign_in(api: Api) -> None:
    body = await api.gql(CHECKOUT, {"k": "k"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_double_click_checkout_makes_one_order(api: Api) -> None:
    api.token = await _user("fast@example.com")
    await api.gql(ADD, {"p": await _product("Buds", "9.90", 4), "q": 1})
    results = await asyncio.gather(*(api.gql(CHECKOUT, {"k": "click"}) for _ in range(5)))
    ids = {r["data"]["checkoutComplete"]["order"]["id"] for r in results}
    assert len(ids) == 1
    assert await Order.all().count() == 1
