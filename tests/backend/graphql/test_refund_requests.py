"""Refund requests over HTTP: the shopper asks, the console lists, filters and decides."""

from __future__ import annotations

from typing import Any

from flashmart.accounts.models import Role
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from tests.backend.aftersales.factories import paid_order, shipped_order
from tests.backend.helpers import Api, error_code, token_for
from tests.backend.payments.factories import shopper

ASK = """
mutation Ask($id: ID!, $reason: String!, $tracking: String) {
  orderRefundRequest(id: $id, reason: $reason, returnTrackingNumber: $tracking) {
    refundRequest { id type state reason returnTrackingNumber order { id status } }
    userErrors { field message code }
  }
}
"""
TRACK = """
mutation Track($id: ID!, $tracking: String!) {
  refundRequestUpdate(id: $id, returnTrackingNumber: $tracking) {
    refundRequest { state returnTrackingNumber } userErrors { code }
  }
}
"""
APPROVE = """
mutation Approve($id: ID!) {
  refundRequestApprove(id: $id) { refundRequest { state order { status } } userErrors { code } }
}
"""
REFUND = """
mutation Refund($id: ID!) {
  refundRequestRefund(id: $id) { refundRequest { state order { status } } userErrors { code } }
}
"""
DECLINE = """
mutation Decline($id: ID!, $reason: String!) {
  refundRequestDecline(id: $id, reason: $reason) {
    refundRequest { state declineReason } userErrors { field code }
  }
}
"""
LIST = """
query List($first: Int, $after: String, $filter: RefundRequestFilter) {
  refundRequests(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { node { id type state order { number user { email } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
ORDER = "query($id: ID!) { order(id: $id) { status refundRequests { state type reason } } }"


def _data(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][field]
    return payload


async def test_a_refund_is_asked_approved_and_seen_on_the_order(api: Api, runtime: Runtime) -> None:
    user, admin = await shopper(), await shopper()
    order = await paid_order(runtime, user)
    gid = encode_id("Order", order.id)
    shopper_token, admin_token = token_for(user.id), token_for(admin.id, Role.ADMIN)

    asked = _data(
        await api.gql(ASK, {"id": gid, "reason": "Changed my mind"}, token=shopper_token),
        "orderRefundRequest",
    )
    assert asked["userErrors"] == []
    request = asked["refundRequest"]
    assert (request["type"], request["state"], request["order"]) == (
        "REFUND", "REQUESTED", {"id": gid, "status": "PAID"}
    )  # fmt: skip
    again = _data(
        await api.gql(ASK, {"id": gid, "reason": "again"}, token=shopper_token),
        "orderRefundRequest",
    )
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_REQUESTED"]

    refused = await api.gql(APPROVE, {"id": request["id"]}, token=shopper_token)
    assert error_code(refused) == "FORBIDDEN"
    approved = _data(
        await api.gql(APPROVE, {"id": request["id"]}, token=admin_token), "refundRequestApprove"
    )
    assert approved == {
        "refundRequest": {"state": "REFUNDED", "order": {"status": "REFUNDED"}},
        "userErrors": [],
    }
    seen = _data(await api.gql(ORDER, {"id": gid}, token=shopper_token), "order")
    assert seen == {
        "status": "REFUNDED",
        "refundRequests": [{"state": "REFUNDED", "type": "REFUND", "reason": "Changed my mind"}],
    }


async def test_a_return_goes_through_the_api(api: Api, runtime: Runtime) -> None:
    user, admin = await shopper(), await shopper()
    order = await shipped_order(runtime, user, admin)
    shopper_token, admin_token = token_for(user.id), token_for(admin.id, Role.ADMIN)
    asked = _data(
        await api.gql(
            ASK, {"id": encode_id("Order", order.id), "reason": "Broken"}, token=shopper_token
        ),
        "orderRefundRequest",
    )
    request_id = asked["refundRequest"]["id"]
    assert asked["refundRequest"]["type"] == "RETURN_AND_REFUND"
    approved = _data(
        await api.gql(APPROVE, {"id": request_id}, token=admin_token), "refundRequestApprove"
    )
    assert approved["refundRequest"] == {"state": "APPROVED", "order": {"status": "SHIPPED"}}
    early = _data(
        await api.gql(REFUND, {"id": request_id}, token=admin_token), "refundRequestRefund"
    )
    assert [e["code"] for e in early["userErrors"]] == ["INVALID_STATE"]
    tracked = _data(
        await api.gql(TRACK, {"id": request_id, "tracking": "SF123"}, token=shopper_token),
        "refundRequestUpdate",
    )
    assert tracked["refundRequest"] == {"state": "APPROVED", "returnTrackingNumber": "SF123"}
    done = _data(
        await api.gql(REFUND, {"id": request_id}, token=admin_token), "refundRequestRefund"
    )
    assert done["refundRequest"] == {"state": "REFUNDED", "order": {"status": "REFUNDED"}}


async def test_the_console_lists_filters_pages_and_declines(api: Api, runtime: Runtime) -> None:
    user, admin = await shopper("ada@example.com"), await shopper()
    admin_token = token_for(admin.id, Role.ADMIN)
    ids = []
    for _ in range(3):
        order = await paid_order(runtime, user)
        body = await api.gql(
            ASK, {"id": encode_id("Order", order.id), "reason": "r"}, token=token_for(user.id)
        )
        ids.append(_data(body, "orderRefundRequest")["refundRequest"]["id"])
    declined = _data(
        await api.gql(DECLINE, {"id": ids[0], "reason": "Past the window"}, token=admin_token),
        "refundRequestDecline",
    )
    assert declined["refundRequest"] == {"state": "DECLINED", "declineReason": "Past the window"}
    blank = _data(
        await api.gql(DECLINE, {"id": ids[1], "reason": ""}, token=admin_token),
        "refundRequestDecline",
    )
    assert blank["userErrors"] == [{"field": ["reason"], "code": "REQUIRED"}]

    page = _data(await api.gql(LIST, {"first": 2}, token=admin_token), "refundRequests")
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in page["edges"]] == ids[:2]
    assert page["edges"][0]["node"]["order"]["user"]["email"] == "ada@example.com"
    rest = _data(
        await api.gql(
            LIST, {"first": 2, "after": page["pageInfo"]["endCursor"]}, token=admin_token
        ),
        "refundRequests",
    )
    assert [e["node"]["id"] for e in rest["edges"]] == ids[2:]
    open_only = _data(
        await api.gql(LIST, {"filter": {"state": "REQUESTED"}}, token=admin_token),
        "refundRequests",
    )
    assert [e["node"]["id"] for e in open_only["edges"]] == ids[1:]
    returns = _data(
        await api.gql(LIST, {"filter": {"type": "RETURN_AND_REFUND"}}, token=admin_token),
        "refundRequests",
    )
    assert returns["totalCount"] == 0
    assert error_code(await api.gql(LIST, {}, token=token_for(user.id))) == "FORBIDDEN"
    bad_id = await api.gql(APPROVE, {"id": "not-an-id"}, token=admin_token)
    assert error_code(bad_id) == "BAD_USER_INPUT"
