"""What a request may ask (docs/security.md "Input limits"): the query's length before it is
parsed, caches of compiled documents bounded in bytes, query cost, closed metric labels."""

from __future__ import annotations

import gc
import json
import re
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    Node,
    OperationDefinitionNode,
    get_introspection_query,
    parse,
    print_ast,
    specified_rules,
    validate,
)
from starlette.routing import WebSocketRoute
from websockets.asyncio.client import connect

from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Category
from flashmart.core.settings import Settings
from flashmart.graphql.cache import MISSING, DocumentCache, document_bytes, query_digest
from flashmart.graphql.cost import CEILING, operation_cost
from flashmart.graphql.extensions import operation_label
from flashmart.graphql.fastlane import BuyLane
from flashmart.graphql.ids import encode_id
from flashmart.graphql.schema import FlashMartSchema, build_schema
from flashmart.graphql.view import GraphQLView
from flashmart.seckill.events import warm_up
from tests.backend.graphql.test_fastlane import STOREFRONT_BUY
from tests.backend.helpers import Api, error_code, serving, token_for
from tests.backend.live_server import live_server
from tests.backend.seckill.factories import sale
from tests.backend.subscriptions.conftest import ws_url

FRONTEND = Path(__file__).resolve().parents[3] / "frontend" / "src"
DEFAULT_COST = Settings.model_fields["max_query_cost"].default


def _view(app: Any) -> GraphQLView:
    view: GraphQLView = next(r.endpoint for r in app.routes if isinstance(r, WebSocketRoute))
    return view


def _schema(app: Any) -> FlashMartSchema:
    schema = _view(app).schema
    assert isinstance(schema, FlashMartSchema)
    return schema


def _lane(app: Any) -> BuyLane:
    lane: BuyLane | None = app.buy_lane
    assert lane is not None
    return lane


def _too_large(length: int, limit: int) -> dict[str, Any]:
    return {
        "message": f"Query is too long: {length} characters, at most {limit} allowed",
        "extensions": {"code": "QUERY_TOO_LARGE", "length": length, "maxLength": limit},
    }


# --- length ---------------------------------------------------------------------------------
# Names both lanes' fields and does not parse: refused for its length, not its syntax.
LONG = "# seckillBuy seckillEventUpdated " + "x" * 400 + "\nmutation { seckillBuy("


async def test_a_query_over_the_length_limit_is_refused_before_it_is_parsed(
    app_factory: Any,
) -> None:
    app = app_factory(max_query_length=300)
    async with serving(app) as http:
        post = await http.post("/graphql", json={"query": LONG})
        get = await http.get("/graphql", params={"query": LONG})
        fine = await http.post("/graphql", json={"query": "{ serverTime }"})
    for response in (post, get):
        assert response.json() == {"data": None, "errors": [_too_large(len(LONG), 300)]}
    assert "serverTime" in fine.json()["data"]
    # Neither the lane nor the view compiled or kept it.
    assert len(_lane(app).plans.plans) == 0
    assert _schema(app).documents.get(query_digest(LONG)) is MISSING


async def test_a_subscribe_message_over_the_length_limit_is_refused(app_factory: Any) -> None:
    def build(base_url: str) -> Any:
        return app_factory(public_base_url=base_url, max_query_length=300)

    async with live_server(build, ws="websockets-sansio", stop_timeout=15) as base_url:
        ws = await connect(ws_url(base_url), subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
        try:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            for op, query in (("1", LONG), ("2", "{ serverTime }")):
                message = {"id": op, "type": "subscribe", "payload": {"query": query}}
                await ws.send(json.dumps(message))
            replies = [json.loads(await ws.recv()) for _ in range(3)]
        finally:
            await ws.close()
    by_id = {(r["id"], r["type"]): r for r in replies}
    assert by_id["1", "error"]["payload"] == [_too_large(len(LONG), 300)]
    assert "serverTime" in by_id["2", "next"]["payload"]["data"]  # the socket serves on
    assert ("2", "complete") in by_id


# --- caches ---------------------------------------------------------------------------------
def _distinct_documents(i: int) -> dict[str, str]:
    pad = f"# seckillBuy {i} " + "x" * 12_000 + "\n"  # long, unique, and names the buy lane
    return {
        "valid": pad + "{ __typename }",
        "unparsable": pad + "{ __typename",
        "invalid": pad + f"{{ nope{i} }}",
        "invalid buy": pad + "mutation { seckillBuy(eventId: 1) { nope } }",
    }


async def test_distinct_documents_keep_every_cache_within_its_bounds(app_factory: Any) -> None:
    """The shop's finding: long texts, each new, sent without a token. Only valid documents
    are kept, by digest, within GRAPHQL_CACHE_BYTES; the process does not grow with them."""
    bound, rounds = 1_000_000, 100
    app = app_factory(graphql_cache_bytes=bound)
    documents, plans = _schema(app).documents, _lane(app).plans.plans
    async with serving(app) as http:
        await http.post("/graphql", json={"query": "{ __typename }"})  # warm up the app
        gc.collect()
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            for i in range(rounds):
                for query in _distinct_documents(i).values():
                    assert (await http.post("/graphql", json={"query": query})).status_code == 200
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - start
        finally:
            tracemalloc.stop()
    # Kept before: every text in the lane's cache and the parser's (6 MB and more of texts).
    assert grown < 2 * bound, grown
    assert 0 < documents.bytes <= bound and 0 < len(documents) < rounds
    assert plans.bytes <= bound and len(plans) <= rounds
    for i in range(rounds):
        for kind, query in _distinct_documents(i).items():
            if kind != "valid":
                assert documents.get(query_digest(query)) is MISSING, kind
                assert plans.get(query_digest(query)) is MISSING, kind
    # The latest valid one is kept: "not a buy" in the lane, the document in the view.
    latest = query_digest(_distinct_documents(rounds - 1)["valid"])
    assert plans.get(latest) is None
    assert documents.get(latest) is not MISSING


def test_a_cache_drops_the_least_recently_used_beyond_its_entries_or_bytes() -> None:
    cache: DocumentCache[str] = DocumentCache(max_entries=3, max_bytes=1000)
    for key in (b"a", b"b", b"c"):
        cache.put(key, key.decode(), 300)
    assert cache.get(b"a") == "a"  # now the most recently used
    cache.put(b"d", "d", 300)  # 1200 bytes: b goes
    assert [cache.get(k) for k in (b"a", b"b", b"c", b"d")] == ["a", MISSING, "c", "d"]
    cache.put(b"e", "e", 100)  # the fourth entry: the least recently used (a) goes
    assert [cache.get(k) for k in (b"a", b"c", b"d", b"e")] == [MISSING, "c", "d", "e"]
    cache.put(b"huge", "huge", 1001)  # never kept
    assert (cache.get(b"huge"), len(cache), cache.bytes) == (MISSING, 3, 700)


@pytest.mark.parametrize(
    "query",
    [
        "{" + " a" * 1999 + " }",  # the most tokens in the fewest characters
        "{" + " a{b}" * 400 + " }",
        "query($a: Int) {" + " x(a: 1, b: [1, 2, 3]) { y }" * 100 + " }",
        "# " + "x" * 15_000 + "\n{ __typename }",  # mostly comment
        STOREFRONT_BUY,
        get_introspection_query(),
    ],
    ids=["fields", "nested", "arguments", "comment", "buy", "introspection"],
)
def test_the_size_estimate_covers_what_a_parsed_document_holds(query: str) -> None:
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        text = "".join(list(query))  # a copy of its own: the document keeps its text
        document = parse(text)
        held = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    assert document_bytes(text, document) >= held


# --- cost -----------------------------------------------------------------------------------
def _cost(schema: FlashMartSchema, query: str, variables: dict[str, Any] | None = None) -> int:
    document = parse(query)
    assert not validate(schema._schema, document, specified_rules)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return operation_cost(schema._schema, operation, fragments, variables).requested


def test_cost_weighs_connections_lists_and_nesting(settings: Settings) -> None:
    schema = build_schema(settings)
    assert _cost(schema, "{ serverTime }") == 0
    assert _cost(schema, "{ products(first: 5) { totalCount } }") == 1
    # 1 + 5 * (edges 1 + node 1 + images 10 * 1)
    products = "query($n: Int) { products(first: $n) { edges { node { id images { id } } } } }"
    assert _cost(schema, products, {"n": 5}) == 61
    assert _cost(schema, products, {}) == 1 + 20 * 12  # the default page size
    assert _cost(schema, products, {"n": 10_000}) == 1 + 100 * 12  # never past the maximum
    assert _cost(schema, "{ products(last: 2) { edges { cursor } } }") == 3
    nested = "{ categories { children { children { id } } } }"
    assert _cost(schema, nested) == 10 * (1 + 10 * (1 + 10))
    fragments = (
        "query { products(first: 2) { ...P } } fragment P on ProductConnection "
        "{ edges { node { category { id } } } pageInfo { hasNextPage } }"
    )
    assert _cost(schema, fragments) == 1 + 2 * (1 + 1 + 1) + 1
    mutation = (
        'mutation { categoryCreate(input: { name: "x" }) { category { id } userErrors { code } } }'
    )
    assert _cost(schema, mutation) == 10 + 1 + 10
    assert _cost(schema, get_introspection_query()) == 0  # reads the schema in memory
    # Fragments spreading each other twice: counted once each, saturating, not exponential.
    chain = " ".join(
        f"fragment F{i} on Category {{ children {{ ...F{i + 1} ...F{i + 1} }} }}" for i in range(40)
    )
    bomb = "{ categories { ...F0 } } " + chain + " fragment F40 on Category { id }"
    assert _cost(schema, bomb) == CEILING


async def test_every_response_reports_its_cost(api: Api) -> None:
    body = await api.gql(
        "query($n: Int) { products(first: $n) { edges { node { id images { id } } } } }",
        {"n": 5},
    )
    assert body["extensions"] == {"cost": {"requested": 61, "limit": DEFAULT_COST}}
    refused = await api.gql("{ nope }")  # not valid: no cost
    assert "extensions" not in refused


async def test_an_operation_over_the_cost_limit_is_refused_with_the_numbers(
    app_factory: Any,
) -> None:
    app = app_factory(max_query_cost=100)
    admin = await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)
    creates = " ".join(
        f'c{i}: categoryCreate(input: {{ name: "C{i}" }}) {{ category {{ id }} userErrors {{ code }} }}'
        for i in range(5)
    )
    async with serving(app) as http:
        api = Api(http)
        api.token = token_for(admin.id, Role.ADMIN)
        body = await api.gql(f"mutation {{ {creates} }}")
        cheap = await api.gql(
            'mutation { categoryCreate(input: { name: "One" }) { category { id } } }'
        )
    requested = 5 * (10 + 1 + 10)
    numbers = {"requested": requested, "limit": 100}
    assert body == {
        "data": None,
        "errors": [
            {
                "message": f"Query cost {requested} exceeds the maximum of 100",
                "extensions": {"code": "QUERY_TOO_COMPLEX", "cost": numbers},
            }
        ],
        "extensions": {"cost": numbers},
    }
    assert [c.name for c in await Category.all()] == ["One"]  # nothing of the refused one ran
    assert cheap["extensions"] == {"cost": {"requested": 11, "limit": 100}}


async def test_the_buy_lane_leaves_a_buy_over_the_cost_limit_to_generic_execution(
    app_factory: Any, runtime: Any
) -> None:
    app = app_factory(max_query_cost=20)  # the storefront's buy costs 22
    event = await sale(5)
    await warm_up(runtime, event.id)
    shopper = await User.create(email="shopper@example.com", password_hash="x")
    variables = {"eventId": encode_id("SeckillEvent", event.id)}
    async with serving(app) as http:
        response = await http.post(
            "/graphql",
            json={"query": STOREFRONT_BUY, "variables": variables},
            headers={"authorization": f"Bearer {token_for(shopper.id)}"},
        )
    assert error_code(response.json()) == "QUERY_TOO_COMPLEX"
    assert _lane(app).answered == 0


def _frontend_documents() -> list[tuple[str, str]]:
    """(file, text) of every `graphql(...)` document of the storefront and the console."""
    found = []
    for path in sorted(FRONTEND.rglob("*.ts*")):
        if ".test." in path.name or "gql" in path.relative_to(FRONTEND).parts:
            continue
        for match in re.finditer(r"graphql\(\s*`([^`]*)`\s*\)", path.read_text()):
            found.append((str(path.relative_to(FRONTEND)), match.group(1)))
    return found


def _fragments_used(
    node: Any, fragments: dict[str, FragmentDefinitionNode], found: dict[str, None]
) -> dict[str, None]:
    """The names of the fragments `node` spreads, directly or not, in order."""
    if isinstance(node, FragmentSpreadNode) and node.name.value not in found:
        found[node.name.value] = None
        _fragments_used(fragments[node.name.value], fragments, found)
    for key in node.keys if isinstance(node, Node) else ():
        child = getattr(node, key)
        for item in child if isinstance(child, (tuple, list)) else (child,):
            if isinstance(item, Node):
                _fragments_used(item, fragments, found)
    return found


def test_every_frontend_document_is_within_the_default_limits(settings: Settings) -> None:
    """Each operation the storefront and the admin console send, with the fragments it uses,
    is valid, shorter than MAX_QUERY_LENGTH's default and, at the largest page size for every
    variable, costs no more than MAX_QUERY_COST's default."""
    schema = build_schema(settings)
    fragments: dict[str, FragmentDefinitionNode] = {}
    operations: list[tuple[str, OperationDefinitionNode]] = []
    for path, text in _frontend_documents():
        for definition in parse(text).definitions:
            if isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = definition
            else:
                assert isinstance(definition, OperationDefinitionNode)
                operations.append((path, definition))
    assert len(operations) >= 50, "the frontend's documents were not found"
    costs = {}
    for path, operation in operations:
        used = [fragments[n] for n in _fragments_used(operation, fragments, {})]
        document = DocumentNode(definitions=(operation, *used))
        assert not validate(schema._schema, document), path
        assert len(print_ast(document)) < Settings.model_fields["max_query_length"].default
        variables = {v.variable.name.value: 100 for v in operation.variable_definitions or ()}
        name = operation.name.value if operation.name else path
        costs[name] = operation_cost(schema._schema, operation, fragments, variables).requested
    assert max(costs.values()) <= DEFAULT_COST, costs


# --- metric labels --------------------------------------------------------------------------
def _series(text: str) -> set[str]:
    return {
        line.split(" ")[0]
        for line in text.splitlines()
        if line.startswith("flashmart_graphql_request")
    }


async def test_operation_names_chosen_by_clients_never_become_metric_labels(api: Api) -> None:
    await api.gql("{ serverTime }")
    await api.gql("{ nope }")
    await api.http.post("/graphql", json={"query": "{"})
    before = _series((await api.http.get("/metrics")).text)
    names = [f"Op{uuid.uuid4().hex}" for _ in range(20)]
    for name in names:
        for query in (
            f"query {name} {{ serverTime }}",
            f"query {name} {{ {name} }}",  # a field the schema lacks
            f"query {name} {{",
        ):
            await api.http.post("/graphql", json={"query": query, "operationName": name})
    after = _series((await api.http.get("/metrics")).text)
    assert after == before
    assert not any(name in line for line in after for name in names)


def _all_series(text: str) -> set[str]:
    """Every flashmart_ series (name and labels, not the value), GC pauses aside: which
    generations have paused yet depends on the collector, not on the requests."""
    return {
        line.rsplit(" ", 1)[0]
        for line in text.splitlines()
        if line.startswith("flashmart_") and not line.startswith("flashmart_gc_")
    }


async def _random_bad_input(api: Api, token: str) -> None:
    """One round of input a client controls, on every surface that counts something: operation
    names, buys of sales that do not exist with any quantity, checkouts with any key, payment
    webhooks for any provider with any body, and any path."""
    auth = {"authorization": f"Bearer {token}"}
    for _ in range(5):
        junk = uuid.uuid4().hex
        number = int(junk[:6], 16)
        for event_id in (encode_id("SeckillEvent", number), junk, f"U2Vja2lsbEV2ZW50Oj{junk}"):
            for quantity in (1, -number, number):
                await api.http.post(
                    "/graphql",
                    json={
                        "query": STOREFRONT_BUY.replace(
                            "($eventId: ID!)", "($eventId: ID!, $q: Int!)"
                        )
                        .replace("(eventId: $eventId)", "(eventId: $eventId, quantity: $q)")
                        .replace("SeckillBuy", f"Buy{junk}", 1),
                        "variables": {"eventId": event_id, "q": quantity},
                    },
                    headers=auth,
                )
        await api.http.post(
            "/graphql",
            json={
                "query": f'mutation Pay{junk} {{ checkoutComplete(idempotencyKey: "{junk}") '
                "{ order { id } userErrors { code } } }"
            },
            headers=auth,
        )
        await api.http.post(f"/payments/{junk}/webhook", content=junk.encode())
        await api.http.post(
            "/payments/sandbox/webhook",
            content=json.dumps({"reference": junk, "nonce": junk}).encode(),
            headers={"content-type": "application/json", "x-signature": junk},
        )
        await api.http.post("/payments/sandbox/webhook", content=junk.encode())
        await api.http.get(f"/{junk}")


async def test_random_bad_input_never_grows_metrics(api: Api, settings: Settings) -> None:
    """After one round of random input has reached every outcome such input can, a second
    round with other random values adds no series, and every label value is a declared one."""
    from tests.backend.core.test_metrics_registry import assert_closed_labels

    user = await User.create(email="metrics@example.com", password_hash="x")
    token = token_for(user.id)
    # What other tests in this process registered (breakers named for a test, say) is theirs.
    known = frozenset(_all_series((await api.http.get("/metrics")).text))
    await _random_bad_input(api, token)
    first = (await api.http.get("/metrics")).text
    await _random_bad_input(api, token)
    second = (await api.http.get("/metrics")).text
    assert _all_series(second) == _all_series(first)
    assert assert_closed_labels(second, settings, known=known) > 20
    assert 'flashmart_seckill_buys_total{outcome="INVALID"}' in second
    assert 'flashmart_payment_webhooks_total{result="not_found"}' in second
    assert 'flashmart_checkouts_total{outcome="CART_EMPTY"}' in second


def test_operation_labels_come_from_the_schema(settings: Settings) -> None:
    schema = build_schema(settings)._schema

    def label(query: str | None, name: str | None = None, **kwargs: Any) -> str:
        return operation_label(schema, parse(query) if query else None, name, **kwargs)

    assert label("query Clock { serverTime }") == "serverTime"
    assert label("{ a: serverTime b: serverTime __typename }") == "serverTime"
    assert label("{ __typename }") == "__typename"
    assert label("{ serverTime me { id } }") == "multiple"
    assert label("query A { serverTime } query B { me { id } }", "B") == "me"
    assert label("query A { serverTime } query B { me { id } }", "C") == "invalid"
    assert label("query A { serverTime } query B { me { id } }") == "invalid"
    assert label("{ madeUp }") == "invalid"
    assert label(None) == "invalid"
    assert label(
        "mutation { ...F } fragment F on Mutation { seckillBuy(eventId: 1) { __typename } }"
    ) == ("seckillBuy")
    assert label("{ serverTime }", trusted_name="StorefrontClock") == "StorefrontClock"
