"""`POST /payments/sandbox/webhook` over HTTP: verification, replay protection, duplicates."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order, OrderEvent, OrderStatus
from flashmart.payments import sandbox, services
from flashmart.payments.models import Payment, PaymentStatus, PaymentWebhook
from tests.backend.helpers import Api
from tests.backend.payments.factories import (
    bank_decides,
    placed_order,
    shopper,
    signed,
    snapshot,
)

WEBHOOK = "/payments/sandbox/webhook"


async def _pending_payment(runtime: Runtime) -> Payment:
    user = await shopper()
    order = await placed_order(runtime, user)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    await bank_decides(payment.provider_reference or "", PaymentStatus.SUCCEEDED)
    return payment


async def _post(api: Api, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return await api.http.post(WEBHOOK, content=body, headers=headers)


def _order_id(payment: Payment) -> int:
    return payment.order_id  # type: ignore[attr-defined,no-any-return]


async def test_a_signed_success_pays_the_order(api: Api, runtime: Runtime) -> None:
    payment = await _pending_payment(runtime)
    body, headers = signed(runtime.settings, reference=payment.provider_reference or "")
    response = await _post(api, body, headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "accepted"}
    assert (await Order.get(id=_order_id(payment))).status is OrderStatus.PAID
    assert (await Payment.get(id=payment.id)).status is PaymentStatus.SUCCEEDED
    (record,) = await PaymentWebhook.all()
    assert record.payment_id == payment.id  # type: ignore[attr-defined]
    assert record.reported_status is PaymentStatus.SUCCEEDED


def _flip_hex(signature: str) -> str:
    return ("0" if signature[0] != "0" else "1") + signature[1:]


@pytest.mark.parametrize(
    "tamper",
    [
        "flipped signature",
        "wrong secret",
        "missing signature",
        "signature of another body",
        "body modified after signing",
        "status changed after signing",
        "stale timestamp",
        "timestamp from the future",
        "not json",
        "extra field",
        "unknown payment",
    ],
)
async def test_refused_webhooks_change_nothing(api: Api, runtime: Runtime, tamper: str) -> None:
    settings = runtime.settings
    payment = await _pending_payment(runtime)
    reference = payment.provider_reference or ""
    body, headers = signed(settings, reference=reference)
    signature = sandbox.SIGNATURE_HEADER
    expected = "BAD_SIGNATURE"
    if tamper == "flipped signature":
        headers[signature] = _flip_hex(headers[signature])
    elif tamper == "wrong secret":
        body, headers = signed(settings, reference=reference, secret="not-the-secret-" + "y" * 40)
    elif tamper == "missing signature":
        del headers[signature]
    elif tamper == "signature of another body":
        _, other = signed(settings, reference=reference)
        headers[signature] = other[signature]
    elif tamper == "body modified after signing":
        body = body.replace(b'"nonce"', b' "nonce"')  # same JSON meaning, other bytes
    elif tamper == "status changed after signing":
        body = body.replace(b"SUCCEEDED", b"FAILED")
    elif tamper == "stale timestamp":
        body, headers = signed(settings, reference=reference, timestamp=int(time.time()) - 301)
        expected = "STALE"
    elif tamper == "timestamp from the future":
        body, headers = signed(settings, reference=reference, timestamp=int(time.time()) + 600)
        expected = "FROM_THE_FUTURE"
    elif tamper == "not json":
        body = b"paymentId=" + reference.encode()
        headers[signature] = sandbox.sign(body, settings.payment_webhook_secret)
        expected = "MALFORMED"
    elif tamper == "extra field":
        data = json.loads(body)
        data["amount"] = "0.01"
        body = json.dumps(data).encode()
        headers[signature] = sandbox.sign(body, settings.payment_webhook_secret)
        expected = "MALFORMED"
    elif tamper == "unknown payment":
        body, headers = signed(settings, reference="sbx_" + "x" * 32)
        expected = "UNKNOWN_PAYMENT"
    before = await snapshot(_order_id(payment))

    response = await _post(api, body, headers)

    assert response.status_code == 400, response.text
    assert response.json() == {"error": expected}
    assert await snapshot(_order_id(payment)) == before
    assert before[0] is OrderStatus.PENDING_PAYMENT


async def test_a_redelivered_webhook_is_answered_200_and_changes_nothing(
    api: Api, runtime: Runtime
) -> None:
    payment = await _pending_payment(runtime)
    body, headers = signed(runtime.settings, reference=payment.provider_reference or "")
    assert (await _post(api, body, headers)).status_code == 200
    after_first = await snapshot(_order_id(payment))
    again = await _post(api, body, headers)
    assert again.status_code == 200 and again.json() == {"status": "duplicate"}
    assert await snapshot(_order_id(payment)) == after_first
    # Also once Redis forgot the nonce: the database record answers.
    await runtime.redis.delete(
        *[k async for k in runtime.redis.scan_iter(match=f"{runtime.keys.prefix}pay:nonce:*")]
    )
    third = await _post(api, body, headers)
    assert third.status_code == 200 and third.json() == {"status": "duplicate"}
    assert await snapshot(_order_id(payment)) == after_first


async def test_a_nonce_reused_with_another_body_is_refused(api: Api, runtime: Runtime) -> None:
    settings = runtime.settings
    payment = await _pending_payment(runtime)
    reference = payment.provider_reference or ""
    declined, headers = signed(
        settings, reference=reference, status=PaymentStatus.FAILED, nonce="n" * 32
    )
    assert (await _post(api, declined, headers)).status_code == 200
    assert (await Payment.get(id=payment.id)).status is PaymentStatus.FAILED
    before = await snapshot(_order_id(payment))
    # A correctly signed, fresh success that reuses the decline's nonce: a replay or forgery.
    forged, headers = signed(settings, reference=reference, nonce="n" * 32)
    response = await _post(api, forged, headers)
    assert response.status_code == 400 and response.json() == {"error": "NONCE_REUSED"}
    assert await snapshot(_order_id(payment)) == before
    # The same again after Redis forgot the nonce: the stored digest still refuses it.
    await runtime.redis.delete(runtime.keys.payment_webhook_nonce("sandbox", "n" * 32))
    response = await _post(api, forged, headers)
    assert response.status_code == 400 and response.json() == {"error": "NONCE_REUSED"}
    assert await snapshot(_order_id(payment)) == before
    assert (await Order.get(id=_order_id(payment))).status is OrderStatus.PENDING_PAYMENT


async def test_ten_identical_webhooks_at_once_change_the_order_once(
    api: Api, runtime: Runtime
) -> None:
    payment = await _pending_payment(runtime)
    body, headers = signed(runtime.settings, reference=payment.provider_reference or "")
    responses = await asyncio.gather(*(_post(api, body, headers) for _ in range(10)))
    assert [r.status_code for r in responses] == [200] * 10
    assert sorted(r.json()["status"] for r in responses) == ["accepted"] + ["duplicate"] * 9
    assert await PaymentWebhook.all().count() == 1
    assert await OrderEvent.filter(order_id=_order_id(payment), to_status="PAID").count() == 1
    assert (await Order.get(id=_order_id(payment))).status is OrderStatus.PAID


async def test_ten_distinct_success_notifications_at_once_change_the_order_once(
    api: Api, runtime: Runtime
) -> None:
    payment = await _pending_payment(runtime)
    deliveries = [
        signed(runtime.settings, reference=payment.provider_reference or "") for _ in range(10)
    ]
    responses = await asyncio.gather(*(_post(api, b, h) for b, h in deliveries))
    assert [r.status_code for r in responses] == [200] * 10
    assert await PaymentWebhook.all().count() == 10  # each notification is recorded
    assert await OrderEvent.filter(order_id=_order_id(payment), to_status="PAID").count() == 1
    payment = await Payment.get(id=payment.id)
    assert payment.status is PaymentStatus.SUCCEEDED


async def test_only_the_configured_provider_has_a_webhook(api: Api) -> None:
    response = await api.http.post("/payments/stripe/webhook", content=b"{}")
    assert response.status_code == 404
