"""The address book, the checkout review, buy now, the pay step's address and shipping over
GraphQL: flows, ownership and field paths of userErrors."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Product
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.orders import services
from flashmart.orders.models import Order
from tests.backend.addresses.factories import address_input
from tests.backend.helpers import Api, token_for

ERRORS = "userErrors { field message code }"
ADDRESS = "id recipient phone region city district street postcode isDefault"
CREATE = (
    "mutation($i: AddressInput!, $d: Boolean! = false) { addressCreate(input: $i, isDefault: $d) "
    f"{{ address {{ {ADDRESS} }} addresses {{ id isDefault }} {ERRORS} }} }}"
)
UPDATE = (
    "mutation($id: ID!, $i: AddressInput!) { addressUpdate(id: $id, input: $i) "
    f"{{ address {{ {ADDRESS} }} {ERRORS} }} }}"
)
DELETE = (
    f"mutation($id: ID!) {{ addressDelete(id: $id) {{ addresses {{ id isDefault }} {ERRORS} }} }}"
)
DEFAULT = f"mutation($id: ID!) {{ addressSetDefault(id: $id) {{ addresses {{ id isDefault }} {ERRORS} }} }}"
ORDER = (
    "id status total { amount } subtotal { amount } shippingFee { amount } "
    "shippingAddress { recipient city street postcode } "
    "shipment { carrier trackingNumber shippedAt } statusHistory { fromStatus toStatus createdAt }"
)
PREVIEW = (
    "query($a: ID, $p: ID, $q: Int! = 1) { checkoutPreview(addressId: $a, productId: $p, "
    "quantity: $q) { lines { quantity unitPrice { amount } total { amount } product { name } } "
    "subtotal { amount } shipping { amount } total { amount currency } address { id } } }"
)
CHECKOUT = (
    "mutation($k: String!, $a: ID) { checkoutComplete(idempotencyKey: $k, addressId: $a) "
    f"{{ order {{ {ORDER} }} {ERRORS} }} }}"
)
BUY_NOW = (
    "mutation($p: ID!, $q: Int!, $k: String!, $a: ID, $i: AddressInput) { checkoutBuyNow("
    "productId: $p, quantity: $q, idempotencyKey: $k, addressId: $a, address: $i) "
    f"{{ order {{ {ORDER} }} {ERRORS} }} }}"
)
PAY = (
    "mutation($o: ID!, $a: ID) { paymentCreate(orderId: $o, addressId: $a) "
    f"{{ payment {{ amount {{ amount }} }} {ERRORS} }} }}"
)
SHIP = (
    "mutation($id: ID!, $c: String!, $t: String!) { orderShip(id: $id, carrier: $c, "
    f"trackingNumber: $t) {{ order {{ {ORDER} }} {ERRORS} }} }}"
)


async def _user(email: str, role: Role = Role.CUSTOMER) -> tuple[User, str]:
    user = await User.create(email=email, password_hash="x", role=role)
    return user, token_for(user.id, role)


async def _product(price: str = "30.00", stock: int = 10) -> str:
    count = await Product.all().count()
    product = await Product.create(
        name=f"Lamp {count}", slug=f"lamp-{count}", price=Decimal(price), stock=stock
    )
    return encode_id("Product", product.id)


def _data(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


async def test_the_address_book_over_graphql(api: Api) -> None:
    _, api.token = await _user("ann@example.com")
    first = _data(await api.gql(CREATE, {"i": address_input()}), "addressCreate")
    assert first["userErrors"] == [] and first["address"]["isDefault"] is True
    second = _data(
        await api.gql(CREATE, {"i": address_input(street="2 Lane"), "d": True}), "addressCreate"
    )
    assert [a["isDefault"] for a in second["addresses"]] == [True, False]
    assert second["addresses"][0]["id"] == second["address"]["id"]

    refused = _data(
        await api.gql(CREATE, {"i": address_input(phone="555", postcode="abc")}), "addressCreate"
    )
    assert refused["address"] is None
    assert sorted((e["field"], e["code"]) for e in refused["userErrors"]) == [
        (["input", "phone"], "INVALID"),
        (["input", "postcode"], "INVALID"),
    ]
    updated = _data(
        await api.gql(UPDATE, {"id": first["address"]["id"], "i": address_input(city="Ningbo")}),
        "addressUpdate",
    )
    assert updated["address"]["city"] == "Ningbo"
    book = _data(await api.gql(DEFAULT, {"id": first["address"]["id"]}), "addressSetDefault")
    assert [(a["id"], a["isDefault"]) for a in book["addresses"]] == [
        (first["address"]["id"], True),
        (second["address"]["id"], False),
    ]
    me = await api.gql("{ me { addresses { id isDefault } } addresses { id } }")
    assert me["data"]["me"]["addresses"] == book["addresses"]
    assert len(me["data"]["addresses"]) == 2
    left = _data(await api.gql(DELETE, {"id": first["address"]["id"]}), "addressDelete")
    assert left["addresses"] == [{"id": second["address"]["id"], "isDefault": True}]


async def test_nobody_reads_or_changes_another_shoppers_address(api: Api) -> None:
    _, owner = await _user("owner@example.com")
    _, thief = await _user("thief@example.com")
    made = _data(await api.gql(CREATE, {"i": address_input()}, token=owner), "addressCreate")
    address_id = made["address"]["id"]
    for query, variables, name in [
        (UPDATE, {"id": address_id, "i": address_input(city="X")}, "addressUpdate"),
        (DELETE, {"id": address_id}, "addressDelete"),
        (DEFAULT, {"id": address_id}, "addressSetDefault"),
    ]:
        payload = _data(await api.gql(query, variables, token=thief), name)
        assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    node = await api.gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": address_id}, token=thief
    )
    assert node["data"]["node"] is None
    await api.gql(CREATE, {"i": address_input()}, token=thief)  # a book of their own
    preview = await api.gql(PREVIEW, {"a": address_id}, token=thief)
    assert preview["data"]["checkoutPreview"]["address"] is None
    mine = await api.gql("{ addresses { city } }", token=owner)
    assert mine["data"]["addresses"] == [{"city": "Hangzhou"}]


async def test_review_checkout_pay_ship_and_follow(api: Api, runtime: Runtime) -> None:
    _, api.token = await _user("ann@example.com")
    _, admin = await _user("admin@example.com", Role.ADMIN)
    address_id = _data(await api.gql(CREATE, {"i": address_input()}), "addressCreate")["address"][
        "id"
    ]
    product = await _product("30.00")
    await api.gql(
        "mutation($p: ID!) { cartAddItem(productId: $p, quantity: 2) { cart { id } } }",
        {"p": product},
    )
    preview = (await api.gql(PREVIEW))["data"]["checkoutPreview"]
    assert preview["subtotal"] == {"amount": "60.00"}
    assert preview["shipping"] == {"amount": "0.00"}  # the tests' SHIPPING_FEE
    assert preview["address"] == {"id": address_id}  # the default
    assert [(line["quantity"], line["total"]) for line in preview["lines"]] == [
        (2, {"amount": "60.00"})
    ]

    placed = _data(await api.gql(CHECKOUT, {"k": "k1", "a": address_id}), "checkoutComplete")
    order = placed["order"]
    assert order["shippingAddress"] == {
        "recipient": "Li Lei", "city": "Hangzhou", "street": "18 Wensan Road", "postcode": "310012"
    }  # fmt: skip
    assert order["shipment"] is None
    paid = _data(await api.gql(PAY, {"o": order["id"]}), "paymentCreate")
    assert paid["userErrors"] == [] and paid["payment"]["amount"] == {"amount": "60.00"}
    order_pk = (await Order.get(idempotency_key="k1")).id
    await services.mark_paid(runtime, order_id=order_pk)

    refused = _data(
        await api.gql(SHIP, {"id": order["id"], "c": "SF", "t": "?"}, token=admin), "orderShip"
    )
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["trackingNumber"], "INVALID")
    ]
    forbidden = await api.gql(SHIP, {"id": order["id"], "c": "SF", "t": "SF1234"})
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    shipped = _data(
        await api.gql(SHIP, {"id": order["id"], "c": "SF Express", "t": "SF1234"}, token=admin),
        "orderShip",
    )
    assert shipped["order"]["status"] == "SHIPPED"
    seen = (
        await api.gql(f"query($id: ID!) {{ order(id: $id) {{ {ORDER} }} }}", {"id": order["id"]})
    )["data"]["order"]
    assert seen["shipment"]["carrier"] == "SF Express"
    assert seen["shipment"]["trackingNumber"] == "SF1234"
    assert [h["toStatus"] for h in seen["statusHistory"]] == [
        "PENDING_PAYMENT",
        "PAID",
        "SHIPPED",
    ]


async def test_buy_now_double_submit_and_the_flash_sale_pay_step(api: Api) -> None:
    _, api.token = await _user("ann@example.com")
    product = await _product("12.00", stock=20)
    bodies = await asyncio.gather(
        *(
            api.gql(BUY_NOW, {"p": product, "q": 2, "k": "tap", "i": address_input()})
            for _ in range(8)
        )
    )
    ids = {_data(body, "checkoutBuyNow")["order"]["id"] for body in bodies}
    assert len(ids) == 1 and await Order.all().count() == 1
    assert (await Product.get(name="Lamp 0")).stock == 18
    assert (await api.gql("{ cart { quantity } }"))["data"]["cart"]["quantity"] == 0

    nowhere = _data(await api.gql(BUY_NOW, {"p": product, "q": 1, "k": "x"}), "checkoutBuyNow")
    assert [(e["field"], e["code"]) for e in nowhere["userErrors"]] == [
        (["addressId"], "ADDRESS_REQUIRED")
    ]
    # An order without an address (as a flash sale makes them) is paid only with one.
    await api.gql(
        "mutation($p: ID!) { cartAddItem(productId: $p, quantity: 1) { cart { id } } }",
        {"p": product},
    )
    bare = _data(await api.gql(CHECKOUT, {"k": "bare"}), "checkoutComplete")["order"]
    assert bare["shippingAddress"] is None
    refused = _data(await api.gql(PAY, {"o": bare["id"]}), "paymentCreate")
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["orderId"], "ADDRESS_REQUIRED")
    ]
    book = _data(await api.gql(CREATE, {"i": address_input()}), "addressCreate")
    paid = _data(await api.gql(PAY, {"o": bare["id"], "a": book["address"]["id"]}), "paymentCreate")
    assert paid["userErrors"] == []
    again = (
        await api.gql(
            "query($id: ID!) { order(id: $id) { shippingAddress { city } } }", {"id": bare["id"]}
        )
    )["data"]["order"]
    assert again["shippingAddress"] == {"city": "Hangzhou"}
