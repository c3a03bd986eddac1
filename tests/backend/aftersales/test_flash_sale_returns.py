"""Refunds through after-sales give a flash-sale order's unit back to its sale, like `orderRefund`."""

from __future__ import annotations

from flashmart.aftersales import services
from flashmart.aftersales.models import RefundState
from flashmart.core.errors import ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderStatus
from flashmart.seckill.audit import audit
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import drain, relaxed, shoppers, try_buy, warm_sale


async def test_returned_and_refunded_flash_sale_units_go_back_on_sale(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    first, second, third, admin = await shoppers(4)
    event = await warm_sale(runtime, 2)
    for buyer in (first, second):
        assert isinstance(await try_buy(runtime, buyer.id, event.id), str)
    await drain(runtime)
    assert await try_buy(runtime, third.id, event.id) is ErrorCode.SOLD_OUT
    unshipped, shipped = await Order.filter(seckill_event_id=event.id).order_by("user_id")
    for order in (unshipped, shipped):
        await orders.mark_paid(runtime, order_id=order.id)
    await orders.admin_set_status(
        runtime, admin_id=admin.id, order_id=shipped.id, target=OrderStatus.SHIPPED
    )

    refund = await services.request_refund(
        runtime, user_id=first.id, order_id=unshipped.id, reason="r"
    )
    assert (await services.approve(runtime, admin_id=admin.id, request_id=refund.id)).state is (
        RefundState.REFUNDED
    )
    giveback = await services.request_refund(
        runtime, user_id=second.id, order_id=shipped.id, reason="r", return_tracking_number="T1"
    )
    await services.approve(runtime, admin_id=admin.id, request_id=giveback.id)
    states = await SaleStore.of(runtime).read_states([event.id])
    assert states[event.id].remaining == 1  # the unshipped unit only: the return is on its way
    await services.refund_return(runtime, admin_id=admin.id, request_id=giveback.id)

    states = await SaleStore.of(runtime).read_states([event.id])
    assert states[event.id].remaining == 2 and not states[event.id].sold_out
    report = await audit(runtime, event.id)
    assert report.passed and report.sold == 0 and report.remaining == 2
    assert isinstance(await try_buy(runtime, third.id, event.id), str)
