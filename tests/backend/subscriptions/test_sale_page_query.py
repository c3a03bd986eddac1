"""The sale page's own query answers from memory and the catalog cache while the sale is
watched: thousands of first visits at a sale's start make no database query, and an edit of
the sale or of its product still shows at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx

from flashmart.accounts.models import Role, User
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill.events import warm_up
from tests.backend.graphql.test_products import count_queries
from tests.backend.helpers import persisted, token_for
from tests.backend.seckill.factories import sale
from tests.backend.subscriptions.conftest import next_frame, serving_view
from tests.backend.subscriptions.test_event_lane import DOCUMENT, _subscribe

DETAIL_ID, DETAIL = persisted("FlashSaleDetail")
RENAME_SALE = """
mutation($id: ID!, $name: String!) {
  seckillEventUpdate(id: $id, input: {name: $name}) { userErrors { code } }
}
"""
RENAME_PRODUCT = """
mutation($id: ID!, $name: String!) {
  productUpdate(id: $id, input: {name: $name}) { userErrors { code } }
}
"""


async def _post(base_url: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        response = await http.post("/graphql", json=body, headers=headers)
    answer: dict[str, Any] = response.json()
    assert "errors" not in answer, answer
    return answer


async def _detail(base_url: str, gid: str, token: str | None = None) -> dict[str, Any]:
    """The storefront's FlashSaleDetail, sent as it sends it (by documentId)."""
    body = {"documentId": DETAIL_ID, "variables": {"id": gid}}
    sale_data: dict[str, Any] = (await _post(base_url, body, token))["data"]["seckillEvent"]
    return sale_data


async def _eventually(read: Callable[[], Any], check: Callable[[Any], bool]) -> Any:
    deadline = time.monotonic() + 10
    while True:
        value = await read()
        if check(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.05)


async def test_a_watched_sales_page_query_makes_no_database_query(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    event = await sale(3)
    await warm_up(runtime, event.id)
    gid = encode_id("SeckillEvent", event.id)
    admin = await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)
    admin_token = token_for(admin.id, Role.ADMIN)
    async with serving_view(app_factory) as (base_url, _view):
        watching = await _subscribe(base_url, DOCUMENT, gid)
        try:
            await next_frame(watching)  # the sale's watcher has read it
            first = await _detail(base_url, gid)  # fills the product cache
            with count_queries() as statements:
                visits = await asyncio.gather(*(_detail(base_url, gid) for _ in range(20)))
            assert statements == []
            assert all(v == first for v in visits)
            assert first["remainingStock"] == 3 and first["status"] == "ACTIVE"
            assert first["product"]["name"] == "Sale item 3"

            # An admin, who may just have edited the sale, reads the database.
            with count_queries() as statements:
                assert await _detail(base_url, gid, admin_token) == first
            assert any("seckill_event" in s for s in statements), statements

            # An edit of the sale reaches visitors through its watcher, at once for the admin.
            await _post(base_url, {"query": RENAME_SALE, "variables": {"id": gid, "name": "Ten"}},
                        admin_token)  # fmt: skip
            assert (await _detail(base_url, gid, admin_token))["name"] == "Ten"
            seen = await _eventually(lambda: _detail(base_url, gid), lambda v: v["name"] == "Ten")
            assert seen["name"] == "Ten"

            # A product edit invalidates the catalog cache the visitors read.
            product_gid = first["product"]["id"]
            rename = {"query": RENAME_PRODUCT, "variables": {"id": product_gid, "name": "Kettle"}}
            await _post(base_url, rename, admin_token)
            assert (await _detail(base_url, gid))["product"]["name"] == "Kettle"
        finally:
            await watching.close()


async def test_an_unwatched_sales_page_query_reads_the_database(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    event = await sale(2)
    gid = encode_id("SeckillEvent", event.id)
    async with serving_view(app_factory) as (base_url, _view):
        with count_queries() as statements:
            found = await _detail(base_url, gid)
        assert found["totalStock"] == 2
        assert any("seckill_event" in s for s in statements), statements
        assert await _detail(base_url, encode_id("SeckillEvent", 999_999)) is None
