"""Catalog administration over GraphQL: typed userErrors, nothing written on bad input."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest

from flashmart.accounts.models import Role
from flashmart.catalog.models import Category, Product
from flashmart.graphql.ids import encode_id
from tests.backend.helpers import Api, token_for

ADMIN = token_for(1, Role.ADMIN)
SHOPPER = token_for(2)
ERRORS = "userErrors { field message code }"
PRODUCT = "id name slug description stock isPublished price { amount currency } category { name }"
CREATE = f"""mutation($input: ProductInput!) {{
  productCreate(input: $input) {{ product {{ {PRODUCT} }} {ERRORS} }}
}}"""
UPDATE = f"""mutation($id: ID!, $input: ProductUpdateInput!) {{
  productUpdate(id: $id, input: $input) {{ product {{ {PRODUCT} }} {ERRORS} }}
}}"""
STOCK = f"""mutation($id: ID!, $stock: Int!) {{
  productStockSet(id: $id, stock: $stock) {{ product {{ stock }} {ERRORS} }}
}}"""
CATEGORY = "category { id name slug parent { name } }"
CATEGORY_CREATE = f"""mutation($input: CategoryInput!) {{
  categoryCreate(input: $input) {{ {CATEGORY} {ERRORS} }}
}}"""
CATEGORY_UPDATE = f"""mutation($id: ID!, $input: CategoryUpdateInput!) {{
  categoryUpdate(id: $id, input: $input) {{ {CATEGORY} {ERRORS} }}
}}"""


async def _admin(api: Api, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = await api.gql(query, variables, token=ADMIN)
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


async def test_create_a_product(api: Api) -> None:
    category = await Category.create(name="Phones", slug="phones")
    payload = await _admin(
        api,
        CREATE,
        {
            "input": {
                "name": "  Aurora X1  ",
                "price": "1999.00",
                "stock": 10,
                "description": "A phone.",
                "categoryId": encode_id("Category", category.id),
            }
        },
    )
    assert payload["userErrors"] == []
    product = payload["product"]
    assert {
        k: product[k] for k in ("name", "slug", "stock", "isPublished", "price", "category")
    } == {
        "name": "Aurora X1",
        "slug": "aurora-x1",
        "stock": 10,
        "isPublished": True,
        "price": {"amount": "1999.00", "currency": "CNY"},
        "category": {"name": "Phones"},
    }
    again = await _admin(api, CREATE, {"input": {"name": "Aurora X1", "price": "5", "stock": 0}})
    assert again["product"]["slug"] == "aurora-x1-2"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"name": ""}, "name", "REQUIRED"),
        ({"name": "x" * 201}, "name", "INVALID"),
        ({"price": "0"}, "price", "INVALID"),
        ({"price": "-3.50"}, "price", "INVALID"),
        ({"price": "19.999"}, "price", "INVALID"),
        ({"stock": -1}, "stock", "INVALID"),
        ({"stock": 10_000_000}, "stock", "INVALID"),
        ({"slug": "UPPER case"}, "slug", "INVALID"),
        ({"slug": "taken"}, "slug", "UNIQUE"),
        ({"categoryId": encode_id("Category", 999_999)}, "categoryId", "NOT_FOUND"),
    ],
)
async def test_bad_input_gives_typed_user_errors_and_writes_nothing(
    api: Api, changes: dict[str, Any], field: str, code: str
) -> None:
    await Product.create(name="Taken", slug="taken", price=Decimal("1.00"), stock=1)
    other = await Product.create(name="Other", slug="other", price=Decimal("2.00"), stock=2)
    before = [(p.id, p.name, p.slug, p.price, p.stock) for p in await Product.all()]
    created = await _admin(
        api, CREATE, {"input": {"name": "Widget", "price": "1.50", "stock": 1, **changes}}
    )
    updated = await _admin(api, UPDATE, {"id": encode_id("Product", other.id), "input": changes})
    for payload in (created, updated):
        assert payload["product"] is None
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
            (["input", field], code)
        ]
    assert [(p.id, p.name, p.slug, p.price, p.stock) for p in await Product.all()] == before


async def test_update_is_partial_and_null_category_clears_it(api: Api) -> None:
    phones = await Category.create(name="Phones", slug="phones")
    product = await Product.create(
        name="Aurora",
        slug="aurora",
        description="Fast.",
        price=Decimal("9.99"),
        stock=3,
        category=phones,
    )
    gid = encode_id("Product", product.id)
    payload = await _admin(api, UPDATE, {"id": gid, "input": {"name": "Aurora 2"}})
    assert payload["product"]["name"] == "Aurora 2"
    assert (payload["product"]["slug"], payload["product"]["description"]) == ("aurora", "Fast.")
    assert payload["product"]["category"] == {"name": "Phones"}
    payload = await _admin(api, UPDATE, {"id": gid, "input": {"categoryId": None, "slug": None}})
    assert (payload["product"]["category"], payload["product"]["slug"]) == (None, "aurora-2")


async def test_unknown_ids_are_user_errors_and_malformed_ids_bad_input(api: Api) -> None:
    missing = encode_id("Product", 999_999)
    payload = await _admin(api, STOCK, {"id": missing, "stock": 1})
    assert payload == {
        "product": None,
        "userErrors": [{"field": ["id"], "message": "No such product", "code": "NOT_FOUND"}],
    }
    body = await api.gql(STOCK, {"id": encode_id("Category", 1), "stock": 1}, token=ADMIN)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_only_admins_manage_the_catalog(api: Api) -> None:
    variables = {"input": {"name": "Widget", "price": "1.50", "stock": 1}}
    anonymous = await api.gql(CREATE, variables)
    shopper = await api.gql(CREATE, variables, token=SHOPPER)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert shopper["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Product.all().count() == 0


async def test_fifty_concurrent_stock_sets_and_checkouts_never_go_negative(api: Api) -> None:
    from flashmart.catalog.services import decrement_stock

    product = await Product.create(name="Hot", slug="hot", price=Decimal("1.00"), stock=20)
    gid = encode_id("Product", product.id)
    results = await asyncio.gather(
        *(api.gql(STOCK, {"id": gid, "stock": n % 4}, token=ADMIN) for n in range(50)),
        *(decrement_stock(product.id, 3) for _ in range(50)),
    )
    for body in results[:50]:
        assert body["data"]["productStockSet"]["userErrors"] == []  # type: ignore[index]
    assert 0 <= (await Product.get(id=product.id)).stock <= 3


async def test_categories_nest_and_list_as_a_tree(api: Api) -> None:
    root = await _admin(api, CATEGORY_CREATE, {"input": {"name": "Electronics"}})
    assert root["category"]["slug"] == "electronics"
    root_id = root["category"]["id"]
    child = await _admin(api, CATEGORY_CREATE, {"input": {"name": "Phones", "parentId": root_id}})
    assert child["category"]["parent"] == {"name": "Electronics"}
    cycle = await _admin(
        api, CATEGORY_UPDATE, {"id": root_id, "input": {"parentId": child["category"]["id"]}}
    )
    assert [(e["field"], e["code"]) for e in cycle["userErrors"]] == [
        (["input", "parentId"], "INVALID")
    ]
    renamed = await _admin(
        api,
        CATEGORY_UPDATE,
        {"id": child["category"]["id"], "input": {"name": "Mobiles", "slug": "mobiles"}},
    )
    assert renamed["category"] == {
        "id": child["category"]["id"],
        "name": "Mobiles",
        "slug": "mobiles",
        "parent": {"name": "Electronics"},
    }
    blank = await _admin(api, CATEGORY_CREATE, {"input": {"name": " "}})
    assert [(e["field"], e["code"]) for e in blank["userErrors"]] == [
        (["input", "name"], "REQUIRED")
    ]
    tree = await api.gql("{ categories { name parent { name } children { name } } }")
    assert tree["data"]["categories"] == [
        {"name": "Electronics", "parent": None, "children": [{"name": "Mobiles"}]},
        {"name": "Mobiles", "parent": {"name": "Electronics"}, "children": []},
    ]
    node = await api.gql(
        "query($id: ID!) { node(id: $id) { ... on Category { name } } }", {"id": root_id}
    )
    assert node["data"]["node"] == {"name": "Electronics"}


async def test_category_filter_includes_subcategories(api: Api) -> None:
    root = await Category.create(name="Audio", slug="audio")
    child = await Category.create(name="Headphones", slug="headphones", parent=root)
    other = await Category.create(name="Home", slug="home")
    for name, category in (("A", root), ("B", child), ("C", other)):
        await Product.create(name=name, slug=name.lower(), price=Decimal("1.00"), category=category)
    body = await api.gql(
        """query($c: ID) {
          products(first: 10, filter: {categoryId: $c}) { edges { node { name } } }
        }""",
        {"c": encode_id("Category", root.id)},
    )
    assert [e["node"]["name"] for e in body["data"]["products"]["edges"]] == ["A", "B"]
