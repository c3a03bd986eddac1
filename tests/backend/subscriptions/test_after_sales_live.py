"""orderUpdated reaches the shopper's open page when an administrator refunds or after-sales moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flashmart.accounts.models import Role
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.orders import services as orders
from tests.backend.helpers import token_for
from tests.backend.payments.factories import placed_order, shopper
from tests.backend.subscriptions.conftest import Stream, client, gql_over_http, request

ORDER_UPDATED = "subscription($id: ID!) { orderUpdated(id: $id) { id status } }"
REFUND = "mutation($id: ID!) { orderRefund(id: $id) { order { status } userErrors { code } } }"


async def test_an_admin_refund_reaches_the_shoppers_subscription(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    user, admin = await shopper(), await shopper()
    order = await placed_order(runtime, user)
    await orders.mark_paid(runtime, order_id=order.id)
    gid = encode_id("Order", order.id)
    async with ws_server() as base_url, client(base_url, token_for(user.id)) as session:
        stream = Stream(session, request(ORDER_UPDATED, id=gid))
        first = await stream.wait_for(lambda _: True)
        assert first["orderUpdated"]["status"] == "PAID"
        done = await gql_over_http(base_url, token_for(admin.id, Role.ADMIN), REFUND, id=gid)
        assert done["orderRefund"] == {"order": {"status": "REFUNDED"}, "userErrors": []}
        await stream.wait_for(lambda item: item["orderUpdated"]["status"] == "REFUNDED")
        await stream.close()


ASK = """
mutation($id: ID!) {
  orderRefundRequest(id: $id, reason: "Changed my mind") { refundRequest { id } userErrors { code } }
}
"""
APPROVE = "mutation($id: ID!) { refundRequestApprove(id: $id) { userErrors { code } } }"
LIVE = """
subscription($id: ID!) { orderUpdated(id: $id) { status refundRequests { state } } }
"""


def _states(item: dict[str, Any]) -> tuple[str, list[str]]:
    order = item["orderUpdated"]
    return order["status"], [r["state"] for r in order["refundRequests"]]


async def test_a_refund_request_and_its_approval_reach_shopper_and_console_live(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    user, admin = await shopper(), await shopper()
    order = await placed_order(runtime, user)
    await orders.mark_paid(runtime, order_id=order.id)
    gid = encode_id("Order", order.id)
    user_token, admin_token = token_for(user.id), token_for(admin.id, Role.ADMIN)
    async with (
        ws_server() as base_url,
        client(base_url, user_token) as shopper_session,
        client(base_url, admin_token) as admin_session,
    ):
        streams = [
            Stream(shopper_session, request(LIVE, id=gid)),
            Stream(admin_session, request(LIVE, id=gid)),
        ]
        for stream in streams:
            assert _states(await stream.wait_for(lambda _: True)) == ("PAID", [])
        asked = await gql_over_http(base_url, user_token, ASK, id=gid)
        assert asked["orderRefundRequest"]["userErrors"] == []
        for stream in streams:
            await stream.wait_for(lambda item: _states(item) == ("PAID", ["REQUESTED"]))
        request_id = asked["orderRefundRequest"]["refundRequest"]["id"]
        approved = await gql_over_http(base_url, admin_token, APPROVE, id=request_id)
        assert approved["refundRequestApprove"]["userErrors"] == []
        for stream in streams:
            await stream.wait_for(lambda item: _states(item) == ("REFUNDED", ["REFUNDED"]))
            await stream.close()
