"""Payments over HTTP: paymentCreate, the sandbox pay page, the real worker's webhook, refunds."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx
from redis.asyncio import Redis

from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Product
from flashmart.core.keys import Keys
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from flashmart.orders.models import Order, OrderStatus
from flashmart.payments.models import Payment, PaymentStatus, Refund, SandboxCharge
from flashmart.payments.qr import qr_svg
from flashmart.worker import create_worker
from tests.backend.addresses.factories import address_input
from tests.backend.helpers import Api, token_for
from tests.backend.live_server import live_server

ERRORS = "userErrors { field message code }"
PAYMENT = "payment { id status amount { amount currency } payUrl qrCodeSvg order { id number } }"
PAY = f"mutation($o: ID!) {{ paymentCreate(orderId: $o) {{ {PAYMENT} {ERRORS} }} }}"
ADD = f"mutation($p: ID!, $q: Int!) {{ cartAddItem(productId: $p, quantity: $q) {{ {ERRORS} }} }}"
CHECKOUT = (
    "mutation($k: String!, $a: AddressInput) { checkoutComplete(idempotencyKey: $k, address: $a) "
    f"{{ order {{ id number total {{ amount }} }} {ERRORS} }} }}"
)
ORDER = (
    "query($id: ID!) { order(id: $id) { status paidAt payments { id status amount { amount } } } }"
)
REFUND = f"mutation($id: ID!) {{ orderRefund(id: $id) {{ order {{ status }} {ERRORS} }} }}"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


async def _user(email: str, role: Role = Role.CUSTOMER) -> str:
    user = await User.create(email=email, password_hash="x", role=role)
    return token_for(user.id, role)


async def _place_order(api: Api, *, price: str = "29.50", quantity: int = 2) -> dict[str, Any]:
    """A PENDING_PAYMENT order for the signed-in shopper, through the cart and checkout."""
    count = await Product.all().count()
    product = await Product.create(
        name=f"Lamp {count}", slug=f"lamp-{count}", price=Decimal(price), stock=10
    )
    added = await api.gql(ADD, {"p": encode_id("Product", product.id), "q": quantity})
    assert added["data"]["cartAddItem"]["userErrors"] == []
    placed = (await api.gql(CHECKOUT, {"k": f"key-{count}", "a": address_input()}))["data"][
        "checkoutComplete"
    ]
    assert placed["userErrors"] == []
    order: dict[str, Any] = placed["order"]
    return order


async def _pay(api: Api, order_id: str, token: str | None = None) -> dict[str, Any]:
    body = await api.gql(PAY, {"o": order_id}, token=token)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["paymentCreate"]
    return payload


async def _decide(http: httpx.AsyncClient, pay_url: str, decision: str) -> httpx.Response:
    """What a person does on the pay page: open it, press a button (a plain form POST)."""
    page = await http.get(pay_url)
    assert page.status_code == 200
    token = CSRF.search(page.text)
    assert token is not None, page.text
    return await http.post(pay_url, data={"csrf": token.group(1), "decision": decision})


async def _run_worker(settings: Settings, redis: Redis, order_ids: list[int]) -> None:
    # Each order's expiry job waits 30 minutes; burst mode runs until the queue is empty.
    queue = Keys(settings.redis_prefix).queue
    for order_id in order_ids:
        await redis.zrem(queue, f"{settings.redis_prefix}order-expire:{order_id}")
    worker = create_worker(settings, settings.redis_url or "", burst=True, manage_database=False)
    worker.handle_signals = False
    await asyncio.wait_for(worker.async_run(), timeout=60)
    await worker.close()
    assert worker.jobs_failed == 0


def _pk(global_id: str) -> int:
    from flashmart.graphql.ids import decode_id

    return decode_id(global_id, "Order")


async def test_pay_an_order_end_to_end_through_http(
    app_factory: Callable[..., Any], settings: Settings, redis: Redis
) -> None:
    shopper = await _user("ann@example.com")
    async with (
        live_server(lambda url: app_factory(public_base_url=url)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        api = Api(http)
        api.token = shopper
        order = await _place_order(api, price="29.50", quantity=2)
        assert order["total"]["amount"] == "59.00"

        created = await _pay(api, order["id"])
        assert created["userErrors"] == []
        payment = created["payment"]
        assert payment["status"] == "PENDING"
        assert payment["amount"] == {"amount": "59.00", "currency": "CNY"}
        assert payment["order"] == {"id": order["id"], "number": order["number"]}
        assert payment["payUrl"].startswith(f"{base_url}/payments/sandbox/pay/sbx_")
        assert payment["qrCodeSvg"].startswith("<svg") and "</svg>" in payment["qrCodeSvg"]
        assert payment["qrCodeSvg"] == qr_svg(payment["payUrl"])

        page = await http.get(payment["payUrl"])
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        for shown in ("FlashMart", order["number"], "59.00", "Approve", "Decline"):
            assert shown in page.text
        assert page.headers["x-frame-options"] == "DENY"

        approved = await _decide(http, payment["payUrl"], "approve")
        assert approved.status_code == 303
        result = await http.get(approved.headers["location"])
        assert "SUCCEEDED" in result.text and "Approve</button>" not in result.text
        # Both the pay page and its result link back to the order's page in the shop.
        back = f'href="{base_url}/account/orders/{quote(order["id"], safe="")}"'
        assert back in page.text and back in result.text
        assert f"Back to order {order['number']} at FlashMart</a>" in result.text
        # Approving only queued the provider's webhook; the shop has not heard of it yet.
        pending = (await api.gql(ORDER, {"id": order["id"]}))["data"]["order"]
        assert pending["status"] == "PENDING_PAYMENT"

        worker_settings = settings.model_copy(update={"public_base_url": base_url})
        await _run_worker(worker_settings, redis, [_pk(order["id"])])

        paid = (await api.gql(ORDER, {"id": order["id"]}))["data"]["order"]
        assert paid["status"] == "PAID" and paid["paidAt"] is not None
        assert paid["payments"] == [
            {"id": payment["id"], "status": "SUCCEEDED", "amount": {"amount": "59.00"}}
        ]
        again = await _pay(api, order["id"])
        assert again["payment"] is None and again["userErrors"][0]["code"] == "INVALID_STATE"


async def test_a_declined_payment_leaves_the_order_payable(
    app_factory: Callable[..., Any], settings: Settings, redis: Redis
) -> None:
    shopper = await _user("bob@example.com")
    async with (
        live_server(lambda url: app_factory(public_base_url=url)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        api = Api(http)
        api.token = shopper
        order = await _place_order(api)
        first = (await _pay(api, order["id"]))["payment"]
        declined = await _decide(http, first["payUrl"], "decline")
        assert declined.status_code == 303
        assert "Declined" in (await http.get(first["payUrl"])).text
        await _run_worker(
            settings.model_copy(update={"public_base_url": base_url}), redis, [_pk(order["id"])]
        )
        after = (await api.gql(ORDER, {"id": order["id"]}))["data"]["order"]
        assert after["status"] == "PENDING_PAYMENT"
        assert [p["status"] for p in after["payments"]] == ["FAILED"]
        second = (await _pay(api, order["id"]))["payment"]
        assert second["id"] != first["id"] and second["payUrl"] != first["payUrl"]


async def test_payment_create_returns_the_same_pending_payment(api: Api) -> None:
    api.token = await _user("cat@example.com")
    order = await _place_order(api)
    first = (await _pay(api, order["id"]))["payment"]
    results = await asyncio.gather(*(_pay(api, order["id"]) for _ in range(5)))
    assert {r["payment"]["id"] for r in results} == {first["id"]}
    assert await Payment.all().count() == 1


async def test_a_shopper_cannot_pay_someone_elses_order(api: Api) -> None:
    owner = await _user("owner@example.com")
    thief = await _user("thief@example.com")
    api.token = owner
    order = await _place_order(api)
    stolen = await _pay(api, order["id"], token=thief)
    assert stolen["payment"] is None
    assert stolen["userErrors"] == [
        {"field": ["orderId"], "message": "No such order", "code": "NOT_FOUND"}
    ]
    anonymous = await api.http.post(
        "/graphql", json={"query": PAY, "variables": {"o": order["id"]}}
    )
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    wrong_kind = await api.gql(PAY, {"o": encode_id("Product", 1)})
    assert wrong_kind["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await Payment.all().count() == 0

    payment = (await _pay(api, order["id"]))["payment"]
    node = "query($id: ID!) { node(id: $id) { ... on Payment { status } } }"
    assert (await api.gql(node, {"id": payment["id"]}))["data"]["node"] == {"status": "PENDING"}
    assert (await api.gql(node, {"id": payment["id"]}, token=thief))["data"]["node"] is None


async def test_the_pay_page_refuses_forged_forms(api: Api) -> None:
    api.token = await _user("dan@example.com")
    order = await _place_order(api)
    payment = (await _pay(api, order["id"]))["payment"]
    path = httpx.URL(payment["payUrl"]).path
    page = await api.http.get(path)
    token = CSRF.search(page.text)
    assert token is not None
    # Another site posting the form: no cookie of ours, or a token it could not compute.
    async with httpx.AsyncClient(transport=api.http._transport, base_url="http://test") as other:
        forged = await other.post(path, data={"csrf": token.group(1), "decision": "approve"})
        assert forged.status_code == 403
    wrong = await api.http.post(path, data={"csrf": "0" * 64, "decision": "approve"})
    assert wrong.status_code == 403
    silly = await api.http.post(path, data={"csrf": token.group(1), "decision": "maybe"})
    assert silly.status_code == 400
    assert (await SandboxCharge.get()).status is PaymentStatus.PENDING
    assert (await api.http.get("/payments/sandbox/pay/sbx_nothing-here")).status_code == 404


async def test_admin_refund_returns_the_money_through_the_provider(
    app_factory: Callable[..., Any], settings: Settings, redis: Redis
) -> None:
    shopper = await _user("eve@example.com")
    admin = await _user("boss@example.com", Role.ADMIN)
    async with (
        live_server(lambda url: app_factory(public_base_url=url)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        api = Api(http)
        api.token = shopper
        order = await _place_order(api, price="10.00", quantity=3)
        payment = (await _pay(api, order["id"]))["payment"]
        assert (await _decide(http, payment["payUrl"], "approve")).status_code == 303
        await _run_worker(
            settings.model_copy(update={"public_base_url": base_url}), redis, [_pk(order["id"])]
        )
        refunded = (await api.gql(REFUND, {"id": order["id"]}, token=admin))["data"]["orderRefund"]
        assert refunded == {"order": {"status": "REFUNDED"}, "userErrors": []}
        after = (await api.gql(ORDER, {"id": order["id"]}))["data"]["order"]
        assert [p["status"] for p in after["payments"]] == ["REFUNDED"]
        (refund,) = await Refund.all()
        assert refund.amount == Decimal("30.00")
        assert "Refunded" in (await http.get(payment["payUrl"])).text  # the provider's side
        assert (await Order.get()).status is OrderStatus.REFUNDED
        assert (await Product.get()).stock == 10
