"""Search over GraphQL: the listing ranks the demo shop's products; suggestions for the box."""

from __future__ import annotations

from typing import Any

import pytest

from flashmart import seed
from flashmart.catalog.search import MAX_SEARCH_LENGTH
from tests.backend.catalog.factories import demo_products
from tests.backend.helpers import Api

SEARCH = """
query Search($search: String!) {
  products(first: 100, filter: { search: $search }) { totalCount edges { node { name } } }
}
"""
SUGGEST = """
query Suggest($query: String!, $first: Int) {
  searchSuggestions(query: $query, first: $first) { id name slug }
}
"""


@pytest.fixture
async def shop(db: None) -> None:
    await demo_products()


async def _names(api: Api, search: str) -> list[str]:
    body = await api.gql(SEARCH, {"search": search})
    assert "errors" not in body, body
    return [e["node"]["name"] for e in body["data"]["products"]["edges"]]


async def test_pro_lists_pro_names_and_not_the_whole_shop(api: Api, shop: None) -> None:
    everything = sum(len(names) for names in seed.CATALOG.values())
    found = await _names(api, "pro")
    assert found == ["Pro Gamepad", "Aurora X1 Pro", "Slate 15 Pro", "Echo Buds Pro"]
    assert len(found) < everything


async def test_typos_and_chinese_find_products(api: Api, shop: None) -> None:
    assert await _names(api, "spekar") == ["Bass Cube Speaker", "Wave Mini Speaker"]
    chinese = await _names(api, "耳机")
    assert "Tempo Headphones" in chinese and "Bass Cube Speaker" not in chinese


@pytest.mark.parametrize("search", ["%", "\x00", "'--", "☃☃☃"])
async def test_garbage_gets_an_empty_result(api: Api, shop: None, search: str) -> None:
    body = await api.gql(SEARCH, {"search": search})
    assert body["data"]["products"] == {"totalCount": 0, "edges": []}


async def test_an_oversized_search_gets_a_typed_error(api: Api, shop: None) -> None:
    body = await api.gql(SEARCH, {"search": "x" * (MAX_SEARCH_LENGTH + 1)})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_suggestions_are_names_ranked_and_bounded(api: Api, shop: None) -> None:
    async def suggest(query: str, first: int | None = None) -> Any:
        return await api.gql(SUGGEST, {"query": query, "first": first})

    body = await suggest("pro", 2)
    assert [s["name"] for s in body["data"]["searchSuggestions"]] == [
        "Pro Gamepad",
        "Aurora X1 Pro",
    ]
    assert body["data"]["searchSuggestions"][0]["slug"] == "pro-gamepad"
    assert (await suggest("   "))["data"]["searchSuggestions"] == []
    assert (await suggest("product"))["data"]["searchSuggestions"] == []  # descriptions only
    for refused in (await suggest("pro", 21), await suggest("y" * (MAX_SEARCH_LENGTH + 1))):
        assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
