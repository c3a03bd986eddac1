"""The product listing over GraphQL: keyset pagination for every sort, N+1 guard, the cache."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from redis.asyncio import Redis

from flashmart.accounts.models import Role
from flashmart.catalog.models import Category, Product, ProductImage
from flashmart.core.keys import Keys
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.graphql.ids import decode_id, encode_id
from tests.backend.helpers import Api, token_for

ADMIN = token_for(1, Role.ADMIN)

PAGE = """
query Page($first: Int, $after: String, $last: Int, $before: String, $sort: ProductSort,
           $filter: ProductFilter) {
  products(first: $first, after: $after, last: $last, before: $before, sortBy: $sort,
           filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name stock price { amount } } }
  }
}
"""


async def _products(n: int, *, seed: int = 7, category: Category | None = None) -> None:
    rng = random.Random(seed)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    start = await Product.all().count()
    await Product.bulk_create(
        [
            Product(
                name=f"{rng.choice(words)} {start + i:04}",
                slug=f"p-{start + i}",
                price=Decimal(rng.choice(["9.99", "10.00", "59.90", "100.00", "5.00"])),
                stock=rng.randrange(0, 4),
                category=category,
            )
            for i in range(n)
        ]
    )


async def _page(api: Api, token: str | None = None, **variables: Any) -> dict[str, Any]:
    body = await api.gql(PAGE, variables, token=token)
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["products"]
    return page


Hook = Callable[[], Awaitable[None]]


async def _walk(
    api: Api,
    sort: str | None,
    *,
    forward: bool,
    size: int = 17,
    between: Hook | None = None,
    filter: dict[str, Any] | None = None,
) -> list[int]:
    """Every product id, one page at a time, in the listing's order."""
    seen: list[int] = []
    cursor: str | None = None
    while True:
        if forward:
            page = await _page(api, sort=sort, first=size, after=cursor, filter=filter)
            seen += [decode_id(e["node"]["id"], "Product") for e in page["edges"]]
            more, cursor = page["pageInfo"]["hasNextPage"], page["pageInfo"]["endCursor"]
        else:
            page = await _page(api, sort=sort, last=size, before=cursor, filter=filter)
            seen = [decode_id(e["node"]["id"], "Product") for e in page["edges"]] + seen
            more, cursor = page["pageInfo"]["hasPreviousPage"], page["pageInfo"]["startCursor"]
        if not more:
            return seen
        if between is not None:
            await between()


ORDERS: dict[str | None, tuple[str, ...]] = {
    None: ("id",),
    "NEWEST": ("-created_at", "-id"),
    "PRICE_ASC": ("price", "id"),
    "PRICE_DESC": ("-price", "-id"),
    "NAME": ("name", "id"),
}


async def _expected(sort: str | None) -> list[int]:
    """The whole listing in one unpaged query: what walking the pages must reproduce."""
    rows = await Product.filter(is_published=True, deleted_at__isnull=True).order_by(*ORDERS[sort])
    return [p.id for p in rows]


def _is_sorted(products: dict[int, Product], ids: list[int], sort: str | None) -> bool:
    def key(i: int) -> tuple[Any, ...]:
        p = products[i]
        return {
            None: (p.id,),
            "NEWEST": (-p.created_at.timestamp(), -p.id),
            "PRICE_ASC": (p.price, p.id),
            "PRICE_DESC": (-p.price, -p.id),
            "NAME": (p.name, p.id),
        }[sort]

    return [key(i) for i in ids] == sorted(key(i) for i in ids)


@pytest.mark.parametrize("sort", list(ORDERS))
async def test_walking_120_products_both_ways_has_no_gaps_or_repeats(
    api: Api, sort: str | None
) -> None:
    await _products(120)
    await Product.create(name="draft", slug="draft", price=Decimal(1), is_published=False)
    expected = await _expected(sort)
    assert len(expected) == 120
    forward = await _walk(api, sort, forward=True)
    assert forward == expected
    backward = await _walk(api, sort, forward=False)
    assert backward == expected
    products = {p.id: p for p in await Product.all()}
    assert _is_sorted(products, forward, sort)


@pytest.mark.parametrize("sort", ["NEWEST", "PRICE_ASC", "PRICE_DESC", "NAME", None])
@pytest.mark.parametrize("forward", [True, False], ids=["forward", "backward"])
async def test_pages_stay_stable_while_products_are_added(
    api: Api, sort: str | None, forward: bool
) -> None:
    await _products(120)
    originals = await _expected(sort)
    batch = iter(range(100, 200))

    async def add_some() -> None:
        await _products(3, seed=next(batch))

    seen = await _walk(api, sort, forward=forward, between=add_some)
    assert len(seen) == len(set(seen)), "a product was shown twice"
    assert [i for i in seen if i in set(originals)] == originals, "a product was skipped"
    products = {p.id: p for p in await Product.all()}
    assert _is_sorted(products, seen, sort)
    assert len(products) > 120


async def test_search_results_page_by_relevance_without_gaps(api: Api) -> None:
    """Relevance pages on (rank, id): ties and distinct ranks both, on both backends."""
    descriptions = ["", "with an echo", "echo echo", "nothing"]
    for i in range(40):
        name = f"echo {i:02}" if i % 3 == 0 else f"bravo {i:02}"
        await Product.create(
            name=name, slug=f"s{i}", price=Decimal("1.00"), description=descriptions[i % 4]
        )
    search = {"search": "echo"}
    body = await api.gql(PAGE, {"first": 100, "filter": search})
    everything = [decode_id(e["node"]["id"], "Product") for e in body["data"]["products"]["edges"]]
    assert body["data"]["products"]["totalCount"] == len(everything) > 20
    names = [e["node"]["name"] for e in body["data"]["products"]["edges"]]
    assert all(n.startswith("echo") for n in names[:14])  # name hits first
    assert await _walk(api, None, forward=True, size=4, filter=search) == everything
    assert await _walk(api, None, forward=False, size=4, filter=search) == everything
    assert await _walk(api, "RELEVANCE", forward=True, size=5, filter=search) == everything


async def test_cursors_belong_to_their_order(api: Api) -> None:
    await _products(5)
    newest = await _page(api, sort="NEWEST", first=2)
    body = await api.gql(
        PAGE, {"sort": "PRICE_ASC", "first": 2, "after": newest["pageInfo"]["endCursor"]}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    for garbage in ("e30=", "eyJzIjoiTkVXRVNUIiwidiI6WzFdfQ==", "!!!"):
        body = await api.gql(PAGE, {"sort": "NEWEST", "first": 2, "after": garbage})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", garbage


async def test_total_count_is_the_filtered_set_and_admins_see_unpublished(api: Api) -> None:
    phones = await Category.create(name="Phones", slug="phones")
    await _products(10, category=phones)
    await _products(4)
    await Product.create(
        name="draft", slug="draft", price=Decimal(1), category=phones, is_published=False
    )
    filtered = {"categoryId": encode_id("Category", phones.id)}
    assert (await _page(api, filter=filtered, first=3))["totalCount"] == 10
    assert (await _page(api, ADMIN, filter=filtered, first=3))["totalCount"] == 11
    assert (await _page(api, first=3))["totalCount"] == 14
    assert (await _page(api, ADMIN, first=3))["totalCount"] == 15


async def test_the_published_filter_narrows_admin_listings_and_never_widens_shoppers(
    api: Api,
) -> None:
    await _products(3)
    await Product.create(name="draft one", slug="draft-1", price=Decimal(1), is_published=False)
    await Product.create(name="draft two", slug="draft-2", price=Decimal(2), is_published=False)
    drafts = await _page(api, ADMIN, filter={"isPublished": False}, first=10)
    assert drafts["totalCount"] == 2
    assert {e["node"]["name"] for e in drafts["edges"]} == {"draft one", "draft two"}
    assert (await _page(api, ADMIN, filter={"isPublished": True}, first=10))["totalCount"] == 3
    searched = await _page(api, ADMIN, filter={"isPublished": False, "search": "two"}, first=10)
    assert [e["node"]["name"] for e in searched["edges"]] == ["draft two"]
    assert (await _page(api, filter={"isPublished": False}, first=10))["totalCount"] == 0
    assert (await _page(api, filter={"isPublished": True}, first=10))["totalCount"] == 3


# --- N+1 guard ------------------------------------------------------------------------------
class _QueryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "%s: %s":  # every statement Tortoise's clients run, both backends
            self.statements.append(str(record.args[0] if record.args else ""))


@contextmanager
def count_queries() -> Iterator[list[str]]:
    logger = logging.getLogger("tortoise.db_client")
    counter, level = _QueryCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter.statements
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


async def _fifty_with_categories_and_images() -> None:
    categories = [await Category.create(name=f"C{i}", slug=f"c{i}") for i in range(5)]
    for i in range(50):
        product = await Product.create(
            name=f"P{i:02}", slug=f"p{i}", price=Decimal("1.00"), category=categories[i % 5]
        )
        await ProductImage.bulk_create(
            [ProductImage(product=product, file=f"x/{i}-{n}.png", position=n) for n in range(2)]
        )


LISTING = """
query($sort: ProductSort) {
  products(first: 50, sortBy: $sort) {
    totalCount
    edges { node { id name category { name } images { url thumbnailUrl width } } }
  }
}
"""


@pytest.mark.parametrize("sort", ["NEWEST", None])
async def test_a_page_of_50_costs_a_bounded_number_of_queries(api: Api, sort: str | None) -> None:
    await _fifty_with_categories_and_images()
    with count_queries() as statements:
        body = await api.gql(LISTING, {"sort": sort})
    edges = body["data"]["products"]["edges"]
    assert len(edges) == 50
    assert all(e["node"]["category"] and len(e["node"]["images"]) == 2 for e in edges)
    # count + page + one batch of categories + one batch of images
    assert 3 <= len(statements) <= 4, statements  # (at least 3: the counter does count)
    if sort is None:  # the shoppers' default first page is cached now: products and images
        with count_queries() as statements:
            again = await api.gql(LISTING, {"sort": sort})
        assert again == body
        assert len(statements) <= 1, statements  # the categories


# --- cache ----------------------------------------------------------------------------------
DETAIL = """
query($id: ID!) {
  product(id: $id) { name stock price { amount } isPublished images { url } }
}
"""
UPDATE = """
mutation($id: ID!, $input: ProductUpdateInput!) {
  productUpdate(id: $id, input: $input) { product { id } userErrors { code } }
}
"""
STOCK = """
mutation($id: ID!, $stock: Int!) {
  productStockSet(id: $id, stock: $stock) { product { stock } userErrors { code } }
}
"""


async def test_every_write_is_visible_on_the_next_read(
    api: Api, redis: Redis, settings: Settings
) -> None:
    keys = Keys(settings.redis_prefix)
    product = await Product.create(name="Aurora", slug="aurora", price=Decimal("9.99"), stock=5)
    gid = encode_id("Product", product.id)

    async def detail() -> Any:
        return (await api.gql(DETAIL, {"id": gid}))["data"]["product"]

    async def first_page() -> dict[str, Any]:
        return await _page(api, first=10)

    assert (await detail())["stock"] == 5
    assert (await first_page())["totalCount"] == 1
    assert 0 < await redis.ttl(keys.product_cache(product.id)) <= settings.catalog_cache_ttl_seconds
    assert 0 < await redis.ttl(keys.product_list_cache) <= settings.catalog_cache_ttl_seconds

    # A change behind the services' back is not seen: reads really come from the cache...
    await Product.filter(id=product.id).update(name="Changed behind our back")
    assert (await detail())["name"] == "Aurora"
    assert (await first_page())["edges"][0]["node"]["name"] == "Aurora"

    # ...and every change made through them is seen at once.
    changed = await api.gql(UPDATE, {"id": gid, "input": {"price": "12.50"}}, token=ADMIN)
    assert changed["data"]["productUpdate"]["userErrors"] == []
    assert (await detail())["price"] == {"amount": "12.50"}
    assert (await first_page())["edges"][0]["node"]["price"] == {"amount": "12.50"}

    stocked = await api.gql(STOCK, {"id": gid, "stock": 0}, token=ADMIN)
    assert stocked["data"]["productStockSet"] == {"product": {"stock": 0}, "userErrors": []}
    assert (await detail())["stock"] == 0
    assert (await first_page())["edges"][0]["node"]["stock"] == 0

    await api.gql(UPDATE, {"id": gid, "input": {"isPublished": False}}, token=ADMIN)
    assert await detail() is None
    assert (await first_page())["totalCount"] == 0
    assert (await api.gql(DETAIL, {"id": gid}, token=ADMIN))["data"]["product"][
        "isPublished"
    ] is False
    await api.gql(UPDATE, {"id": gid, "input": {"isPublished": True}}, token=ADMIN)

    created = await api.gql(
        'mutation { productCreate(input: {name: "Nimbus", price: "5.00", stock: 2}) '
        "{ userErrors { code } } }",
        token=ADMIN,
    )
    assert created["data"]["productCreate"]["userErrors"] == []
    assert (await first_page())["totalCount"] == 2

    deleted = await api.gql(
        "mutation($id: ID!) { productDelete(id: $id) { userErrors { code } } }",
        {"id": gid},
        token=ADMIN,
    )
    assert deleted["data"]["productDelete"]["userErrors"] == []
    assert await detail() is None
    assert (await api.gql(DETAIL, {"id": gid}, token=ADMIN))["data"]["product"] is None
    assert [e["node"]["name"] for e in (await first_page())["edges"]] == ["Nimbus"]


async def test_stock_taken_by_checkout_shows_once_the_cache_is_invalidated(
    api: Api, runtime: Runtime
) -> None:
    """`decrement_stock` runs inside the checkout's transaction; the caller invalidates after."""
    from flashmart.catalog import services

    product = await Product.create(name="Aurora", slug="aurora", price=Decimal("9.99"), stock=5)
    gid = encode_id("Product", product.id)
    assert (await api.gql(DETAIL, {"id": gid}))["data"]["product"]["stock"] == 5
    assert await services.decrement_stock(product.id, 2)
    await services.invalidate_products(runtime, [product.id])
    assert (await api.gql(DETAIL, {"id": gid}))["data"]["product"]["stock"] == 3
