"""The public list of flash sales: soonest start first, pages without gaps; bad ids typed."""

from __future__ import annotations

from datetime import timedelta

from flashmart.graphql.ids import encode_id
from tests.backend.helpers import Api, error_code
from tests.backend.seckill.factories import sale

UPCOMING = """
query($first: Int, $after: String) {
  seckillEvents(first: $first, after: $after, filter: { status: SCHEDULED }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id startsAt } }
  }
}
"""


async def test_upcoming_sales_are_listed_soonest_first(api: Api, db: None) -> None:
    # created (so numbered) in another order than they start
    later = await sale(1, starts_in=timedelta(hours=5))
    soonest = await sale(2, starts_in=timedelta(minutes=10))
    middle = await sale(3, starts_in=timedelta(hours=2))
    await sale(4, starts_in=timedelta(minutes=-5))  # live: not upcoming
    expected = [encode_id("SeckillEvent", e.id) for e in (soonest, middle, later)]

    body = await api.gql(UPCOMING, {"first": 10})
    connection = body["data"]["seckillEvents"]
    assert [e["node"]["id"] for e in connection["edges"]] == expected
    assert connection["totalCount"] == 3

    walked, after = [], None
    while True:
        page = (await api.gql(UPCOMING, {"first": 1, "after": after}))["data"]["seckillEvents"]
        walked += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == expected


async def test_a_bad_sale_id_is_typed_like_a_bad_product_id(api: Api, db: None) -> None:
    for query, type_name in (
        ("query($id: ID!) { seckillEvent(id: $id) { id } }", "SeckillEvent"),
        ("query($id: ID!) { product(id: $id) { id } }", "Product"),
    ):
        body = await api.gql(query, {"id": "not-an-id"})
        assert error_code(body) == "BAD_USER_INPUT", body
        assert body["errors"][0]["message"] == f"Invalid {type_name} id"
        assert list(body["data"].values()) == [None]
        missing = await api.gql(query, {"id": encode_id(type_name, 999_999)})
        assert "errors" not in missing and list(missing["data"].values()) == [None]
