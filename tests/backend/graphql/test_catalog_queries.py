"""Storefront reads over GraphQL: Relay pagination, lookups by global id, visibility."""

from __future__ import annotations

from decimal import Decimal

from flashmart.accounts.models import Role
from flashmart.catalog.models import Category, Product
from tests.backend.helpers import Api, token_for

PAGE = """
query Page($first: Int, $after: String, $last: Int, $before: String) {
  products(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name price { amount currency } category { name } } }
  }
}
"""


async def _catalog(n: int) -> None:
    category = await Category.create(name="Phones", slug="phones")
    await Product.bulk_create(
        [
            Product(
                name=f"P{i:03}",
                slug=f"p{i:03}",
                price=Decimal("9.99"),
                stock=3,
                category=category,
            )
            for i in range(n)
        ]
    )
    await Product.create(name="Hidden", slug="hidden", price=Decimal("1.00"), is_published=False)


async def test_walk_forward_then_backward_without_gaps(api: Api) -> None:
    await _catalog(45)
    names: list[str] = []
    after = None
    while True:
        page = (await api.gql(PAGE, {"first": 10, "after": after}))["data"]["products"]
        assert page["totalCount"] == 45
        names += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert names == [f"P{i:03}" for i in range(45)]

    back: list[str] = []
    before = None
    while True:
        page = (await api.gql(PAGE, {"last": 10, "before": before}))["data"]["products"]
        back = [e["node"]["name"] for e in page["edges"]] + back
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert back == names


async def test_money_is_a_decimal_string_and_relations_resolve(api: Api) -> None:
    await _catalog(1)
    node = (await api.gql(PAGE, {"first": 1}))["data"]["products"]["edges"][0]["node"]
    assert node["price"] == {"amount": "9.99", "currency": "CNY"}
    assert node["category"] == {"name": "Phones"}
    by_id = await api.gql(
        "query($id: ID!) { product(id: $id) { name } node(id: $id) { id } }",
        {"id": node["id"]},
    )
    assert by_id["data"] == {"product": {"name": "P000"}, "node": {"id": node["id"]}}


async def test_unpublished_products_are_for_admins_only(api: Api) -> None:
    await _catalog(2)
    shopper = (await api.gql(PAGE, {"first": 50}))["data"]["products"]
    admin = (await api.gql(PAGE, {"first": 50}, token=token_for(1, Role.ADMIN)))["data"]["products"]
    assert shopper["totalCount"] == 2 and admin["totalCount"] == 3


async def test_bad_ids_cursors_and_sizes_are_bad_user_input(api: Api) -> None:
    for query, variables in (
        ("query($id: ID!) { product(id: $id) { name } }", {"id": "garbage"}),
        (
            "query($id: ID!) { product(id: $id) { name } }",
            {"id": "Q2F0ZWdvcnk6MQ=="},
        ),  # Category:1
        (PAGE, {"after": "not-a-cursor"}),
        (PAGE, {"first": 1000}),
        (PAGE, {"first": 1, "last": 1}),
    ):
        body = await api.gql(query, variables)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (
            query,
            variables,
            body,
        )


async def test_server_time_and_flash_sales_are_public(api: Api) -> None:
    body = await api.gql(
        "{ serverTime seckillEvents(first: 5) { totalCount } categories { name } }"
    )
    assert body["data"]["serverTime"].endswith("+00:00")
    assert body["data"]["seckillEvents"]["totalCount"] == 0
