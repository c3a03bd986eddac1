"""Payments on real databases and Redis: opening, settling, refunds, races, reconciliation."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from flashmart.catalog.models import Product
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderEvent, OrderStatus
from flashmart.payments import sandbox, services
from flashmart.payments.errors import ProviderError
from flashmart.payments.models import Payment, PaymentStatus, Refund, SandboxCharge
from flashmart.payments.provider import RefundRequest
from tests.backend.payments.factories import placed_order, settle, shopper


async def test_create_payment_charges_the_order_total_once(runtime: Runtime) -> None:
    user = await shopper()
    order = await placed_order(runtime, user, price="19.99", quantity=3)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    assert payment.status is PaymentStatus.PENDING
    assert (payment.amount, payment.currency) == (Decimal("59.97"), "CNY")
    assert payment.provider == "sandbox" and payment.provider_reference
    assert payment.pay_url == (
        f"{runtime.settings.public_base_url}/payments/sandbox/pay/{payment.provider_reference}"
    )
    charge = await SandboxCharge.get(reference=payment.provider_reference)
    assert (charge.order_number, charge.amount, charge.merchant_name) == (
        order.number,
        Decimal("59.97"),
        "FlashMart",
    )
    again = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    assert again.id == payment.id
    assert await Payment.all().count() == 1


async def test_concurrent_creates_share_one_pending_payment(runtime: Runtime) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    created = await asyncio.gather(
        *(services.create_payment(runtime, user_id=user.id, order_id=order.id) for _ in range(10))
    )
    assert {p.id for p in created} == {created[0].id}
    assert {p.pay_url for p in created} == {created[0].pay_url} and created[0].pay_url
    assert await Payment.all().count() == 1
    assert await SandboxCharge.all().count() == 1


async def test_only_the_owner_may_pay_and_only_while_unpaid(runtime: Runtime) -> None:
    owner, other = await shopper(), await shopper()
    order = await placed_order(runtime, owner)
    with pytest.raises(DomainFailure) as failure:
        await services.create_payment(runtime, user_id=other.id, order_id=order.id)
    assert failure.value.errors[0].code is ErrorCode.NOT_FOUND
    with pytest.raises(DomainFailure) as failure:
        await services.create_payment(runtime, user_id=owner.id, order_id=order.id + 1000)
    assert failure.value.errors[0].code is ErrorCode.NOT_FOUND

    await Order.filter(id=order.id).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    with pytest.raises(DomainFailure) as failure:  # due, even before the sweep ran
        await services.create_payment(runtime, user_id=owner.id, order_id=order.id)
    assert failure.value.errors[0].code is ErrorCode.INVALID_STATE

    cancelled = await placed_order(runtime, owner)
    await orders.cancel_order(runtime, user_id=owner.id, order_id=cancelled.id)
    with pytest.raises(DomainFailure) as failure:
        await services.create_payment(runtime, user_id=owner.id, order_id=cancelled.id)
    assert failure.value.errors[0].code is ErrorCode.INVALID_STATE
    assert await Payment.all().count() == 0


async def test_success_pays_the_order_once(runtime: Runtime) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    assert await settle(runtime, payment, PaymentStatus.SUCCEEDED) is True
    await payment.refresh_from_db()
    await order.refresh_from_db()
    assert payment.status is PaymentStatus.SUCCEEDED and payment.settled_at is not None
    assert order.status is OrderStatus.PAID and order.paid_at is not None
    # Another notification (new nonce) about the settled payment changes nothing.
    assert await settle(runtime, payment, PaymentStatus.SUCCEEDED) is False
    assert await settle(runtime, payment, PaymentStatus.FAILED) is False
    assert await OrderEvent.filter(order_id=order.id, to_status=OrderStatus.PAID).count() == 1
    with pytest.raises(DomainFailure) as failure:  # a paid order takes no new payment
        await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    assert failure.value.errors[0].code is ErrorCode.INVALID_STATE


async def test_a_decline_leaves_the_order_unpaid_and_allows_a_new_attempt(
    runtime: Runtime,
) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    first = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    assert await settle(runtime, first, PaymentStatus.FAILED) is True
    await first.refresh_from_db()
    assert first.status is PaymentStatus.FAILED
    assert (await Order.get(id=order.id)).status is OrderStatus.PENDING_PAYMENT
    second = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    assert second.id != first.id and second.provider_reference != first.provider_reference
    assert await settle(runtime, second, PaymentStatus.SUCCEEDED) is True
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID


async def test_payment_after_expiry_is_recorded_and_refunded(runtime: Runtime) -> None:
    user = await shopper()
    order = await placed_order(runtime, user, quantity=2, stock=5)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    await Order.filter(id=order.id).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert await orders.expire_order(runtime, order.id) is True
    product = await Product.get()
    assert product.stock == 5

    assert await settle(runtime, payment, PaymentStatus.SUCCEEDED) is True

    await payment.refresh_from_db()
    assert payment.status is PaymentStatus.REFUNDED and payment.settled_at is not None
    (refund,) = await Refund.filter(payment_id=payment.id)
    assert (refund.amount, refund.currency) == (payment.amount, payment.currency)
    assert refund.provider_reference.startswith("sbx_re_") and "EXPIRED" in refund.reason
    charge = await SandboxCharge.get(reference=payment.provider_reference)
    assert charge.status is PaymentStatus.REFUNDED  # the money really went back
    assert charge.refund_reference == refund.provider_reference
    assert (await Order.get(id=order.id)).status is OrderStatus.EXPIRED
    assert (await Product.get(id=product.id)).stock == 5  # units returned once, by the expiry
    assert await settle(runtime, payment, PaymentStatus.SUCCEEDED) is False
    assert await Refund.all().count() == 1


async def test_payment_for_a_cancelled_order_is_refunded(runtime: Runtime) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    await orders.cancel_order(runtime, user_id=user.id, order_id=order.id)
    await settle(runtime, payment, PaymentStatus.SUCCEEDED)
    await payment.refresh_from_db()
    assert payment.status is PaymentStatus.REFUNDED
    assert await Refund.filter(payment_id=payment.id).count() == 1
    assert (await Order.get(id=order.id)).status is OrderStatus.CANCELLED


async def test_expiry_racing_payments_never_keeps_money_for_an_expired_order(
    runtime: Runtime,
) -> None:
    users = [await shopper() for _ in range(12)]
    placed = [await placed_order(runtime, u) for u in users]
    payments = [
        await services.create_payment(runtime, user_id=u.id, order_id=o.id)
        for u, o in zip(users, placed, strict=True)
    ]
    await Order.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))

    async def expire_later(order: Order, delay: float) -> None:
        await asyncio.sleep(delay)
        await orders.expire_order(runtime, order.id)

    # Staggered expiries: the early ones tend to beat the payment, the late ones to lose.
    await asyncio.gather(
        *(settle(runtime, p, PaymentStatus.SUCCEEDED) for p in payments),
        *(expire_later(o, i * 0.005) for i, o in enumerate(placed)),
    )
    for order, payment in zip(placed, payments, strict=True):
        await order.refresh_from_db()
        await payment.refresh_from_db()
        if order.status is OrderStatus.PAID:
            assert payment.status is PaymentStatus.SUCCEEDED
        else:
            assert order.status is OrderStatus.EXPIRED
            assert payment.status is PaymentStatus.REFUNDED
            assert await Refund.filter(payment_id=payment.id).count() == 1
    assert sum(p.stock for p in await Product.all()) == sum(
        9 if o.status is OrderStatus.PAID else 10 for o in placed
    )


async def test_admin_refund_goes_through_the_provider(runtime: Runtime) -> None:
    user, admin = await shopper(), await shopper()
    order = await placed_order(runtime, user, quantity=3, stock=5)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    await settle(runtime, payment, PaymentStatus.SUCCEEDED)

    refunded = await services.refund_order(runtime, admin_id=admin.id, order_id=order.id)

    assert refunded.status is OrderStatus.REFUNDED
    await payment.refresh_from_db()
    assert payment.status is PaymentStatus.REFUNDED
    (refund,) = await Refund.filter(payment_id=payment.id)
    assert refund.amount == Decimal("177.00") and refund.reason == "refunded by admin"
    assert (await SandboxCharge.get(reference=payment.provider_reference)).status is (
        PaymentStatus.REFUNDED
    )
    assert (await Product.get()).stock == 5
    last = await OrderEvent.filter(order_id=order.id).order_by("-id").first()
    assert last is not None and last.actor_id == admin.id  # type: ignore[attr-defined]
    with pytest.raises(DomainFailure) as failure:
        await services.refund_order(runtime, admin_id=admin.id, order_id=order.id)
    assert failure.value.errors[0].code is ErrorCode.INVALID_STATE
    assert await Refund.all().count() == 1


async def test_refund_of_an_order_paid_without_a_payment_moves_the_order_only(
    runtime: Runtime,
) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    await orders.mark_paid(runtime, order_id=order.id)
    refunded = await services.refund_order(runtime, admin_id=user.id, order_id=order.id)
    assert refunded.status is OrderStatus.REFUNDED
    assert await Refund.all().count() == 0


async def test_a_refused_refund_changes_nothing(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    await settle(runtime, payment, PaymentStatus.SUCCEEDED)

    async def refuse(self: object, request: RefundRequest) -> None:
        raise ProviderError("bank says no")

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", refuse)
    with pytest.raises(DomainFailure) as failure:
        await services.refund_order(runtime, admin_id=user.id, order_id=order.id)
    assert failure.value.errors[0].code is ErrorCode.PAYMENT_PROVIDER_ERROR
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert (await Payment.get(id=payment.id)).status is PaymentStatus.SUCCEEDED
    assert await Refund.all().count() == 0
    assert (await Product.get()).stock == 9


async def test_the_sandbox_refunds_once_per_idempotency_key(runtime: Runtime) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    reference = payment.provider_reference or ""
    await SandboxCharge.filter(reference=reference).update(status=PaymentStatus.SUCCEEDED)
    provider = sandbox.SandboxProvider(runtime.settings)
    request = RefundRequest(
        reference=reference,
        amount=payment.amount,
        currency=payment.currency,
        idempotency_key="key-1",
        reason="test",
    )
    first = await provider.refund(request)
    assert (await provider.refund(request)).reference == first.reference  # a retry
    with pytest.raises(ProviderError):  # another refund of the same money
        await provider.refund(
            RefundRequest(
                reference=reference,
                amount=payment.amount,
                currency=payment.currency,
                idempotency_key="key-2",
                reason="again",
            )
        )
    assert await provider.query_status(reference) is PaymentStatus.REFUNDED


async def test_reconciliation_settles_payments_whose_webhook_was_lost(runtime: Runtime) -> None:
    user = await shopper()
    paid, declined, untouched = [await placed_order(runtime, user) for _ in range(3)]
    opened = [
        await services.create_payment(runtime, user_id=user.id, order_id=o.id)
        for o in (paid, declined, untouched)
    ]
    charges = [await SandboxCharge.get(reference=p.provider_reference) for p in opened]
    assert await sandbox.decide(runtime, charge=charges[0], approve=True) is True
    assert await sandbox.decide(runtime, charge=charges[1], approve=False) is True
    assert await sandbox.decide(runtime, charge=charges[1], approve=True) is False  # decided
    # Both webhook jobs are lost (e.g. Redis lost its data).
    await runtime.redis.delete(runtime.keys.queue)
    assert await services.reconcile_pending(runtime) == 0  # too recent to ask about
    await Payment.all().update(created_at=datetime.now(UTC) - timedelta(minutes=5))

    assert await services.reconcile_pending(runtime) == 2

    assert (await Order.get(id=paid.id)).status is OrderStatus.PAID
    assert (await Order.get(id=declined.id)).status is OrderStatus.PENDING_PAYMENT
    assert [p.status for p in await Payment.all().order_by("id")] == [
        PaymentStatus.SUCCEEDED,
        PaymentStatus.FAILED,
        PaymentStatus.PENDING,
    ]
    assert await services.reconcile_pending(runtime) == 0


async def test_status_changes_are_published_after_they_commit(runtime: Runtime) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    payment = await services.create_payment(runtime, user_id=user.id, order_id=order.id)
    pubsub = runtime.redis.pubsub()
    await pubsub.subscribe(runtime.keys.channel("order", str(order.id)))
    try:
        await pubsub.get_message(timeout=1)  # the subscribe confirmation
        await settle(runtime, payment, PaymentStatus.SUCCEEDED)
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        assert message is not None
        assert json.loads(message["data"])["status"] == "PAID"
        assert await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2) is None
    finally:
        await pubsub.aclose()
