"""Refund requests on real databases and Redis: the flows, bad input, and races."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from flashmart.aftersales import services
from flashmart.aftersales.models import RefundRequest, RefundState, RefundType
from flashmart.catalog.models import Product
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderStatus
from flashmart.payments import sandbox
from flashmart.payments import services as payments
from flashmart.payments.errors import ProviderError
from flashmart.payments.models import Payment, PaymentStatus, Refund, SandboxCharge
from flashmart.payments.provider import RefundRequest as ProviderRefund
from tests.backend.aftersales.factories import paid_order, shipped_order
from tests.backend.payments.factories import placed_order, settle, shopper


async def _code(call: object) -> ErrorCode:
    with pytest.raises(DomainFailure) as failure:
        await call  # type: ignore[misc]
    return failure.value.errors[0].code


async def _stock(order: Order) -> int:
    line = await order.lines.all().first()  # type: ignore[attr-defined]
    return (await Product.get(id=line.product_id)).stock


# --- flows ----------------------------------------------------------------------------------
async def test_a_refund_before_shipping_goes_back_through_the_provider(runtime: Runtime) -> None:
    user, admin = await shopper(), await shopper()
    order = await paid_order(runtime, user, quantity=2, stock=5)
    assert await _stock(order) == 3
    pubsub = runtime.redis.pubsub()
    await pubsub.subscribe(runtime.keys.channel("order", str(order.id)))
    try:
        await pubsub.get_message(timeout=1)  # the subscribe confirmation
        request = await services.request_refund(
            runtime, user_id=user.id, order_id=order.id, reason="  Changed my mind  "
        )
        assert (request.type, request.state, request.reason) == (
            RefundType.REFUND, RefundState.REQUESTED, "Changed my mind"
        )  # fmt: skip
        announced = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        assert announced is not None and json.loads(announced["data"])["status"] == "PAID"

        done = await services.approve(runtime, admin_id=admin.id, request_id=request.id)

        announced = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        assert announced is not None and json.loads(announced["data"])["status"] == "REFUNDED"
        assert await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2) is None
    finally:
        await pubsub.aclose()
    assert done.state is RefundState.REFUNDED and done.open_order_id is None
    assert done.decided_by_id == admin.id and done.refunded_at is not None
    assert (await Order.get(id=order.id)).status is OrderStatus.REFUNDED
    (payment,) = await Payment.filter(order_id=order.id)
    assert payment.status is PaymentStatus.REFUNDED
    (refund,) = await Refund.filter(payment_id=payment.id)
    assert refund.amount == Decimal("118.00") and refund.reason.startswith("refund request")
    charge = await SandboxCharge.get(reference=payment.provider_reference)
    assert charge.status is PaymentStatus.REFUNDED
    assert await _stock(order) == 5  # units back on sale


async def test_a_return_waits_for_its_tracking_number_then_refunds(runtime: Runtime) -> None:
    user, admin = await shopper(), await shopper()
    order = await shipped_order(runtime, user, admin, quantity=1, stock=4)
    request = await services.request_refund(
        runtime, user_id=user.id, order_id=order.id, reason="It arrived broken"
    )
    assert request.type is RefundType.RETURN_AND_REFUND
    assert request.return_tracking_number is None
    assert (
        await _code(services.refund_return(runtime, admin_id=admin.id, request_id=request.id))
        is ErrorCode.INVALID_STATE
    )  # not approved yet

    approved = await services.approve(runtime, admin_id=admin.id, request_id=request.id)
    assert approved.state is RefundState.APPROVED and approved.open_order_id == order.id
    assert (await Order.get(id=order.id)).status is OrderStatus.SHIPPED
    assert (
        await _code(services.refund_return(runtime, admin_id=admin.id, request_id=request.id))
        is ErrorCode.INVALID_STATE
    )  # the goods are not on their way back yet
    assert await Refund.all().count() == 0

    tracked = await services.add_return_tracking(
        runtime, user_id=user.id, request_id=request.id, return_tracking_number=" SF 1234-56 "
    )
    assert tracked.return_tracking_number == "SF 1234-56"
    done = await services.refund_return(runtime, admin_id=admin.id, request_id=request.id)

    assert done.state is RefundState.REFUNDED and done.open_order_id is None
    assert (await Order.get(id=order.id)).status is OrderStatus.REFUNDED
    assert await Refund.all().count() == 1
    assert await _stock(order) == 4  # the returned unit is on sale again
    assert (
        await _code(
            services.add_return_tracking(
                runtime, user_id=user.id, request_id=request.id, return_tracking_number="X1"
            )
        )
        is ErrorCode.INVALID_STATE
    )  # closed


async def test_a_tracking_number_given_with_the_request_is_kept(runtime: Runtime) -> None:
    user, admin = await shopper(), await shopper()
    order = await shipped_order(runtime, user, admin)
    request = await services.request_refund(
        runtime, user_id=user.id, order_id=order.id, reason="Wrong size",
        return_tracking_number="YT998877",
    )  # fmt: skip
    assert request.return_tracking_number == "YT998877"
    await services.approve(runtime, admin_id=admin.id, request_id=request.id)
    done = await services.refund_return(runtime, admin_id=admin.id, request_id=request.id)
    assert done.state is RefundState.REFUNDED


async def test_a_declined_request_says_why_and_the_shopper_may_ask_again(
    runtime: Runtime,
) -> None:
    user, admin = await shopper(), await shopper()
    order = await paid_order(runtime, user)
    request = await services.request_refund(
        runtime, user_id=user.id, order_id=order.id, reason="Too slow"
    )
    assert (
        await _code(
            services.decline(runtime, admin_id=admin.id, request_id=request.id, reason="  ")
        )
        is ErrorCode.REQUIRED
    )
    declined = await services.decline(
        runtime, admin_id=admin.id, request_id=request.id, reason="It ships tomorrow"
    )
    assert declined.state is RefundState.DECLINED
    assert declined.decline_reason == "It ships tomorrow" and declined.open_order_id is None
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    for late in (
        services.approve(runtime, admin_id=admin.id, request_id=request.id),
        services.decline(runtime, admin_id=admin.id, request_id=request.id, reason="again"),
    ):
        assert await _code(late) is ErrorCode.INVALID_STATE
    again = await services.request_refund(
        runtime, user_id=user.id, order_id=order.id, reason="Please"
    )
    assert again.state is RefundState.REQUESTED
    assert await RefundRequest.filter(order_id=order.id).count() == 2


async def test_bad_requests_change_nothing(runtime: Runtime) -> None:
    user, other, admin = await shopper(), await shopper(), await shopper()
    order = await paid_order(runtime, user)
    unpaid = await placed_order(runtime, user)

    async def ask(order_id: int, *, as_user: int = user.id, **kwargs: str) -> ErrorCode:
        return await _code(
            services.request_refund(
                runtime, user_id=as_user, order_id=order_id,
                reason=kwargs.get("reason", "why"),
                return_tracking_number=kwargs.get("tracking"),
            )
        )  # fmt: skip

    assert await ask(order.id, reason=" ") is ErrorCode.REQUIRED
    assert await ask(order.id, reason="x" * 501) is ErrorCode.INVALID
    assert await ask(order.id, reason="bad \x00 byte") is ErrorCode.INVALID
    assert await ask(order.id, tracking="<script>") is ErrorCode.INVALID
    assert await ask(order.id, as_user=other.id) is ErrorCode.NOT_FOUND  # not theirs
    assert await ask(unpaid.id) is ErrorCode.INVALID_STATE
    assert await ask(10**12) is ErrorCode.NOT_FOUND
    assert await RefundRequest.all().count() == 0

    request = await services.request_refund(
        runtime, user_id=user.id, order_id=order.id, reason="why"
    )
    assert await ask(order.id) is ErrorCode.ALREADY_REQUESTED
    assert (
        await _code(
            services.add_return_tracking(
                runtime, user_id=user.id, request_id=request.id, return_tracking_number="AB12"
            )
        )
        is ErrorCode.INVALID_STATE
    )  # a refund before shipping has no return
    assert (
        await _code(
            services.add_return_tracking(
                runtime, user_id=other.id, request_id=request.id, return_tracking_number="AB12"
            )
        )
        is ErrorCode.NOT_FOUND
    )
    assert (
        await _code(services.approve(runtime, admin_id=admin.id, request_id=10**12))
        is ErrorCode.NOT_FOUND
    )
    assert await RefundRequest.all().count() == 1


async def test_a_refused_provider_refund_leaves_the_request_open(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, admin = await shopper(), await shopper()
    order = await paid_order(runtime, user, stock=3)
    request = await services.request_refund(
        runtime, user_id=user.id, order_id=order.id, reason="why"
    )

    async def refuse(self: object, request: ProviderRefund) -> None:
        raise ProviderError("bank says no")

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", refuse)
    assert (
        await _code(services.approve(runtime, admin_id=admin.id, request_id=request.id))
        is ErrorCode.PAYMENT_PROVIDER_ERROR
    )
    await request.refresh_from_db()
    assert request.state is RefundState.REQUESTED and request.open_order_id == order.id
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert await _stock(order) == 2
    monkeypatch.undo()
    done = await services.approve(runtime, admin_id=admin.id, request_id=request.id)
    assert done.state is RefundState.REFUNDED and await _stock(order) == 3


async def test_an_order_refunded_in_the_console_closes_its_request_on_approval(
    runtime: Runtime,
) -> None:
    user, admin = await shopper(), await shopper()
    order = await paid_order(runtime, user)
    request = await services.request_refund(
        runtime, user_id=user.id, order_id=order.id, reason="why"
    )
    await payments.refund_order(runtime, admin_id=admin.id, order_id=order.id)
    done = await services.approve(runtime, admin_id=admin.id, request_id=request.id)
    assert done.state is RefundState.REFUNDED
    assert await Refund.all().count() == 1  # the money went back once


async def test_the_console_cannot_refund_a_shipped_order_outside_a_return(
    runtime: Runtime,
) -> None:
    user, admin = await shopper(), await shopper()
    order = await shipped_order(runtime, user, admin)
    assert OrderStatus.REFUNDED not in orders.state.admin_next_statuses(OrderStatus.SHIPPED)
    assert (
        await _code(payments.refund_order(runtime, admin_id=admin.id, order_id=order.id))
        is ErrorCode.INVALID_STATE
    )


async def test_the_list_filters_by_state_type_and_date(runtime: Runtime) -> None:
    user, admin = await shopper(), await shopper()
    refund_order = await paid_order(runtime, user)
    return_order = await shipped_order(runtime, user, admin)
    first = await services.request_refund(
        runtime, user_id=user.id, order_id=refund_order.id, reason="a"
    )
    second = await services.request_refund(
        runtime, user_id=user.id, order_id=return_order.id, reason="b"
    )
    await services.decline(runtime, admin_id=admin.id, request_id=first.id, reason="no")

    async def ids(**kwargs: object) -> list[int]:
        found = await services.search(services.RefundRequestFilter(**kwargs))  # type: ignore[arg-type]
        return [r.id for r in found]

    assert await ids() == [first.id, second.id]
    assert await ids(state=RefundState.REQUESTED) == [second.id]
    assert await ids(type=RefundType.REFUND) == [first.id]
    assert await ids(order_number=return_order.number) == [second.id]
    now = datetime.now(UTC)
    assert await ids(created_from=now - timedelta(minutes=5), created_to=now + timedelta(1)) == [
        first.id,
        second.id,
    ]
    assert await ids(created_from=now + timedelta(minutes=5)) == []


# --- races ----------------------------------------------------------------------------------
async def _outcomes(calls: list[object]) -> Counter[str]:
    results = await asyncio.gather(*calls, return_exceptions=True)  # type: ignore[call-overload]
    tally: Counter[str] = Counter()
    for result in results:
        if isinstance(result, DomainFailure):
            tally[result.errors[0].code.value] += 1
        elif isinstance(result, BaseException):
            raise result
        else:
            tally["ok"] += 1
    return tally


async def test_two_approvals_at_once_refund_once(runtime: Runtime) -> None:
    user, admin, other_admin = await shopper(), await shopper(), await shopper()
    placed = [await paid_order(runtime, user, stock=5) for _ in range(4)]
    requests = [
        await services.request_refund(runtime, user_id=user.id, order_id=o.id, reason="why")
        for o in placed
    ]
    for request in requests:
        tally = await _outcomes(
            [
                services.approve(runtime, admin_id=admin.id, request_id=request.id),
                services.approve(runtime, admin_id=other_admin.id, request_id=request.id),
            ]
        )
        assert tally == Counter({"ok": 1, "INVALID_STATE": 1})
    assert await Refund.all().count() == 4
    assert {p.status for p in await Payment.all()} == {PaymentStatus.REFUNDED}
    assert [await _stock(o) for o in placed] == [5, 5, 5, 5]  # each unit back exactly once


async def test_approve_racing_decline_has_one_winner(runtime: Runtime) -> None:
    user, admin = await shopper(), await shopper()
    placed = [await paid_order(runtime, user) for _ in range(4)]
    for order in placed:
        request = await services.request_refund(
            runtime, user_id=user.id, order_id=order.id, reason="why"
        )
        tally = await _outcomes(
            [
                services.approve(runtime, admin_id=admin.id, request_id=request.id),
                services.decline(runtime, admin_id=admin.id, request_id=request.id, reason="no"),
            ]
        )
        assert tally == Counter({"ok": 1, "INVALID_STATE": 1})
        await request.refresh_from_db()
        refunded = (await Order.get(id=order.id)).status is OrderStatus.REFUNDED
        assert request.state is (RefundState.REFUNDED if refunded else RefundState.DECLINED)
    assert await Refund.all().count() == await Order.filter(status=OrderStatus.REFUNDED).count()


async def test_a_request_racing_shipping_becomes_a_return(runtime: Runtime) -> None:
    """Shipping is not blocked by a request; whichever commits first, the order ends SHIPPED with
    one open request, and approving it accepts a return: nothing is refunded for goods that
    left the warehouse."""
    user, admin = await shopper(), await shopper()
    placed = [await paid_order(runtime, user, stock=3) for _ in range(6)]
    tally = await _outcomes(
        [
            call
            for order in placed
            for call in (
                services.request_refund(runtime, user_id=user.id, order_id=order.id, reason="r"),
                orders.admin_set_status(
                    runtime, admin_id=admin.id, order_id=order.id, target=OrderStatus.SHIPPED
                ),
            )
        ]
    )
    # A request that read PAID just before the shipment committed is told to try again.
    retried = 0
    for order in placed:
        if not await RefundRequest.filter(order_id=order.id).exists():
            retried += 1
            await services.request_refund(runtime, user_id=user.id, order_id=order.id, reason="r")
    assert tally == Counter({"ok": 12 - retried, "INVALID_STATE": retried})
    assert {o.status for o in await Order.filter(id__in=[o.id for o in placed])} == {
        OrderStatus.SHIPPED
    }
    for request in await RefundRequest.all():
        done = await services.approve(runtime, admin_id=admin.id, request_id=request.id)
        assert (done.state, done.type) == (RefundState.APPROVED, RefundType.RETURN_AND_REFUND)
    assert await Refund.all().count() == 0
    assert [await _stock(o) for o in placed] == [2] * 6


async def test_an_approval_racing_shipping_either_refunds_or_accepts_a_return(
    runtime: Runtime,
) -> None:
    user, admin = await shopper(), await shopper()
    placed = [await paid_order(runtime, user, stock=3) for _ in range(6)]
    requests = {
        o.id: await services.request_refund(runtime, user_id=user.id, order_id=o.id, reason="r")
        for o in placed
    }
    tally = await _outcomes(
        [
            call
            for order in placed
            for call in (
                services.approve(runtime, admin_id=admin.id, request_id=requests[order.id].id),
                orders.admin_set_status(
                    runtime, admin_id=admin.id, order_id=order.id, target=OrderStatus.SHIPPED
                ),
            )
        ]
    )
    refunded = 0
    for order in placed:
        status = (await Order.get(id=order.id)).status
        request = await RefundRequest.get(id=requests[order.id].id)
        if status is OrderStatus.REFUNDED:  # the approval won: the shipment was refused
            refunded += 1
            assert request.state is RefundState.REFUNDED and await _stock(order) == 3
        else:  # the shipment won: the approval accepted a return instead
            assert status is OrderStatus.SHIPPED
            assert (request.state, request.type) == (
                RefundState.APPROVED, RefundType.RETURN_AND_REFUND
            )  # fmt: skip
            assert await _stock(order) == 2
    assert tally == Counter({"ok": 12 - refunded, "INVALID_STATE": refunded})
    assert await Refund.all().count() == refunded


async def test_a_request_racing_payment_and_expiry_never_outlives_an_expired_order(
    runtime: Runtime,
) -> None:
    """An unpaid order at its deadline: the payment, the expiry job and a refund request (from
    a shopper who believes it paid) arrive together. An expired order has no request and its
    money is refunded by the payment itself; a paid order has at most one request."""
    user = await shopper()
    placed = [await placed_order(runtime, user, stock=2) for _ in range(8)]
    opened = [
        await payments.create_payment(runtime, user_id=user.id, order_id=o.id) for o in placed
    ]
    past = datetime.now(UTC) - timedelta(seconds=1)
    await Order.filter(id__in=[o.id for o in placed]).update(expires_at=past)

    async def ask(order_id: int) -> bool:
        try:
            await services.request_refund(runtime, user_id=user.id, order_id=order_id, reason="r")
        except DomainFailure as failure:
            assert failure.errors[0].code is ErrorCode.INVALID_STATE
            return False
        return True

    results = await asyncio.gather(
        *(
            call
            for order, payment in zip(placed, opened, strict=True)
            for call in (
                settle(runtime, payment, PaymentStatus.SUCCEEDED),
                orders.expire_order(runtime, order.id),
                ask(order.id),
            )
        )
    )
    asked = results[2::3]
    for order, payment, accepted in zip(placed, opened, asked, strict=True):
        status = (await Order.get(id=order.id)).status
        await payment.refresh_from_db()
        requests = await RefundRequest.filter(order_id=order.id).count()
        assert requests == int(accepted)
        if status is OrderStatus.EXPIRED:
            assert not accepted and payment.status is PaymentStatus.REFUNDED
            assert await _stock(order) == 2
        else:
            assert status is OrderStatus.PAID and payment.status is PaymentStatus.SUCCEEDED
            assert await _stock(order) == 1
    assert await RefundRequest.all().count() == sum(asked)
