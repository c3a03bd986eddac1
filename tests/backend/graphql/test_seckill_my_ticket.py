"""`SeckillEvent.myTicket`: the signed-in shopper's ticket in a sale, found again after a reload."""

from __future__ import annotations

from typing import Any

from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.orders.models import Order, OrderStatus
from flashmart.seckill.buy import buy
from flashmart.seckill.models import SeckillTicket
from tests.backend.graphql.test_products import count_queries
from tests.backend.helpers import Api, token_for
from tests.backend.seckill.factories import drain, relaxed, shoppers, warm_sale

MINE = """
query($id: ID!) {
  seckillEvent(id: $id) { myTicket { id status order { id status expiresAt } payBy } }
}
"""
LIST = "{ seckillEvents(first: 10) { edges { node { id myTicket { status payBy } } } } }"


async def _mine(api: Api, event_id: int, token: str | None = None) -> Any:
    body = await api.gql(MINE, {"id": encode_id("SeckillEvent", event_id)}, token=token)
    assert "errors" not in body, body
    return body["data"]["seckillEvent"]["myTicket"]


async def test_the_buyer_finds_the_ticket_and_when_to_pay(api: Api, runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    ann, bob = await shoppers(2)
    event = await warm_sale(runtime, 2)
    bought = await buy(runtime, user_id=ann.id, event_id=event.id, quantity=1, client_ip="1.2.3.4")
    await drain(runtime)

    mine = await _mine(api, event.id, token_for(ann.id))
    order = await Order.get(user_id=ann.id)
    assert order.expires_at is not None
    assert mine == {
        "id": encode_id("SeckillTicket", bought.id),
        "status": "SUCCEEDED",
        "order": {
            "id": encode_id("Order", order.id),
            "status": "PENDING_PAYMENT",
            "expiresAt": order.expires_at.isoformat(),
        },
        "payBy": order.expires_at.isoformat(),
    }
    assert await _mine(api, event.id, token_for(bob.id)) is None  # no ticket of his own
    assert await _mine(api, event.id) is None  # a visitor

    await Order.filter(id=order.id).update(status=OrderStatus.PAID)
    paid = await _mine(api, event.id, token_for(ann.id))
    assert paid["status"] == "SUCCEEDED" and paid["payBy"] is None
    assert paid["order"]["status"] == "PAID"


async def test_a_list_of_sales_reads_the_tickets_in_one_query(api: Api, runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (ann,) = await shoppers(1)
    events = [await warm_sale(runtime, 1) for _ in range(3)]
    for event in events[:2]:
        await buy(runtime, user_id=ann.id, event_id=event.id, quantity=1, client_ip="1.2.3.4")
    await drain(runtime)
    with count_queries() as statements:
        body = await api.gql(LIST, token=token_for(ann.id))
    nodes = {e["node"]["id"]: e["node"]["myTicket"] for e in body["data"]["seckillEvents"]["edges"]}
    assert [nodes[encode_id("SeckillEvent", e.id)] is not None for e in events] == [
        True,
        True,
        False,
    ]
    tickets = [s for s in statements if '"seckill_ticket"' in s]
    assert len(tickets) == 1, tickets
    assert await SeckillTicket.filter(user_id=ann.id).count() == 2
