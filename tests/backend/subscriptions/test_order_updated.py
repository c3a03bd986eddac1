"""orderUpdated over graphql-transport-ws: current state first, then PAID through the sandbox."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import httpx

from flashmart.accounts.models import Role
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from flashmart.orders import services as orders
from flashmart.worker import create_worker
from tests.backend.helpers import token_for
from tests.backend.payments.factories import placed_order, shopper
from tests.backend.subscriptions.conftest import Stream, client, request

ORDER_UPDATED = "subscription($id: ID!) { orderUpdated(id: $id) { id number status paidAt } }"
PAY = "mutation($o: ID!) { paymentCreate(orderId: $o) { payment { payUrl } userErrors { code } } }"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


def _status(item: dict[str, Any]) -> str:
    status: str = item["orderUpdated"]["status"]
    return status


async def _approve(http: httpx.AsyncClient, pay_url: str) -> None:
    """What a person does on the sandbox's pay page: open it and press Approve."""
    page = await http.get(pay_url)
    token = CSRF.search(page.text)
    assert token is not None, page.text
    done = await http.post(pay_url, data={"csrf": token.group(1), "decision": "approve"})
    assert done.status_code == 303


async def _run_worker(settings: Settings, runtime: Runtime, order_id: int) -> None:
    await runtime.redis.zrem(
        runtime.keys.queue, orders.expiry_job_id(runtime, order_id)
    )  # due in 30 min
    worker = create_worker(settings, settings.redis_url or "", burst=True, manage_database=False)
    worker.handle_signals = False
    await asyncio.wait_for(worker.async_run(), timeout=60)
    await worker.close()
    assert worker.jobs_failed == 0


async def test_subscribe_pay_through_the_sandbox_and_receive_paid(
    ws_server: Callable[..., Any], runtime: Runtime, settings: Settings
) -> None:
    user = await shopper()
    order = await placed_order(runtime, user, price="12.00")
    token = token_for(user.id)
    gid = encode_id("Order", order.id)
    async with (
        ws_server() as base_url,
        client(base_url, token) as session,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        stream = Stream(session, request(ORDER_UPDATED, id=gid))
        first = await stream.wait_for(lambda _: True)
        assert first["orderUpdated"] == {
            "id": gid, "number": order.number, "status": "PENDING_PAYMENT", "paidAt": None
        }  # fmt: skip

        created = await http.post(
            "/graphql",
            json={"query": PAY, "variables": {"o": gid}},
            headers={"authorization": f"Bearer {token}"},
        )
        payload = created.json()["data"]["paymentCreate"]
        assert payload["userErrors"] == []
        await _approve(http, payload["payment"]["payUrl"])
        await _run_worker(
            settings.model_copy(update={"public_base_url": base_url}), runtime, order.id
        )

        paid = await stream.wait_for(lambda item: _status(item) == "PAID")
        assert paid["orderUpdated"]["paidAt"] is not None
        await stream.close()


async def test_an_administrator_may_follow_any_order(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    owner = await shopper()
    admin = await shopper()
    order = await placed_order(runtime, owner)
    async with ws_server() as base_url, client(base_url, token_for(admin.id, Role.ADMIN)) as s:
        stream = Stream(s, request(ORDER_UPDATED, id=encode_id("Order", order.id)))
        first = await stream.wait_for(lambda _: True)
        assert _status(first) == "PENDING_PAYMENT"
        await stream.close()
