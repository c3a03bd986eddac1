"""The buy lane answers `seckillBuy` exactly as generic GraphQL execution does.

Every case sends the same request to two apps on the same Redis and database, one with the
lane and one without, each against its own identical sale and shopper, and compares the raw
response bodies (ticket ids, which are random, replaced by a placeholder)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from graphql import OperationType, parse
from prometheus_client import REGISTRY

from flashmart.accounts.models import Role, User
from flashmart.accounts.services import update_user
from flashmart.core.keys import Keys
from flashmart.core.runtime import Runtime
from flashmart.graphql.fastlane import BuyLane
from flashmart.graphql.ids import encode_id
from flashmart.graphql.plans import coerce_arguments, compile_plan
from flashmart.graphql.schema import build_schema
from flashmart.graphql.transport import APPLICATION_JSON, negotiate
from flashmart.orders.models import Order
from flashmart.seckill.audit import audit
from flashmart.seckill.events import warm_up
from flashmart.seckill.store import SaleStore
from tests.backend.helpers import error_code, persisted, serving, token_for
from tests.backend.seckill.factories import drain, sale

STOREFRONT_BUY = """
mutation SeckillBuy($eventId: ID!) {
  seckillBuy(eventId: $eventId) {
    ticket { ...SeckillTicketProgress }
    userErrors { ...UserErrorFields }
  }
}
fragment SeckillTicketProgress on SeckillTicket { id status failureReason order { id } }
fragment UserErrorFields on UserError { field message code }
"""
SHAPED_BUY = """
mutation Buy($e: ID!, $q: Int = 1) {
  __typename
  attempt: seckillBuy(eventId: $e, quantity: $q) {
    __typename
    errors: userErrors { code message field __typename }
    ticket { status ... on SeckillTicket { ticketId: id quantity __typename } status }
  }
}
"""
LITERAL_QUANTITY = (
    "mutation($e: ID!) { seckillBuy(eventId: $e, quantity: 2) "
    "{ ticket { id } userErrors { code field } } }"
)
NEEDS_DATABASE = (
    "mutation($e: ID!) { seckillBuy(eventId: $e) { ticket { id event { totalStock } } } }"
)
WITH_DIRECTIVE = (
    "mutation($e: ID!, $x: Boolean!) { seckillBuy(eventId: $e) "
    "{ ticket @include(if: $x) { id } userErrors { code } } }"
)
TWO_FIELDS = (
    "mutation($e: ID!) { a: seckillBuy(eventId: $e) { userErrors { code } } "
    "b: seckillBuy(eventId: $e) { userErrors { code } } }"
)

Client = httpx.AsyncClient
ALLOWED_ORIGIN = "https://shop.example"


def _lane(app: Any) -> BuyLane:
    lane: BuyLane | None = app.buy_lane
    assert lane is not None
    return lane


class Pair:
    """The same request against the lane and against generic execution."""

    def __init__(self, lane: Client, generic: Client, lane_app: Any) -> None:
        self.lane, self.generic, self.lane_app = lane, generic, lane_app

    async def post(
        self,
        client: Client,
        body: dict[str, Any] | bytes,
        token: str | None,
        *,
        status: int = 200,
        **extra: str,
    ) -> str:
        """Status, every response header and the body (the request id is fixed, so even the
        `x-request-id` header must match). `extra` headers use `_` for `-`."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        headers |= {"x-request-id": "same-request"}
        headers |= {k.replace("_", "-"): v for k, v in extra.items()}
        if isinstance(body, bytes):
            headers.setdefault("content-type", "application/json")
            response = await client.post("/graphql", content=body, headers=headers)
        else:
            response = await client.post("/graphql", json=body, headers=headers)
        assert response.status_code == status, response.text
        media = negotiate(headers.get("accept")) or APPLICATION_JSON
        assert response.headers["content-type"] == media.content_type
        assert response.headers["x-request-id"] == "same-request"
        head = "".join(f"{k}: {v}\n" for k, v in response.headers.multi_items())
        text = f"{response.status_code}\n{head}\n{response.text}"
        ids = re.findall(r'"(?:id|ticketId)":"([A-Za-z0-9+/=]+)"', text)
        for found in ids:
            text = text.replace(found, "<ticket>")
        return text

    async def same(
        self,
        query: str,
        variables: dict[str, Any],
        *,
        lane_token: str | None,
        generic_token: str | None,
        answered_by_lane: bool,
    ) -> dict[str, Any]:
        before = _lane(self.lane_app).answered
        fast = await self.post(self.lane, {"query": query, "variables": variables}, lane_token)
        assert (_lane(self.lane_app).answered == before + 1) is answered_by_lane
        slow = await self.post(
            self.generic, {"query": query, "variables": variables}, generic_token
        )
        assert fast == slow
        result: dict[str, Any] = json.loads(fast.split("\n\n", 1)[1])
        return result


class Sales:
    """Two identical sales: one bought through the lane, one through generic execution."""

    def __init__(self, lane_event: str, generic_event: str) -> None:
        self.lane, self.generic = lane_event, generic_event


async def _sales(runtime: Runtime, units: int, **kwargs: Any) -> Sales:
    ids = []
    for _ in range(2):
        event = await sale(units, **kwargs)
        await warm_up(runtime, event.id)
        ids.append(encode_id("SeckillEvent", event.id))
    return Sales(*ids)


async def _shoppers(name: str) -> tuple[str, str]:
    lane = await User.create(email=f"{name}-lane@example.com", password_hash="x")
    generic = await User.create(email=f"{name}-generic@example.com", password_hash="x")
    return token_for(lane.id), token_for(generic.id)


@pytest.fixture
async def pair(app_factory: Any, runtime: Runtime) -> AsyncIterator[Pair]:
    overrides = {
        "seckill_user_burst": 2,
        "seckill_user_rate": 0.01,
        "cors_origins": [ALLOWED_ORIGIN],
    }
    lane_app = app_factory(graphql_buy_lane=True, **overrides)
    generic_app = app_factory(graphql_buy_lane=False, **overrides)
    async with serving(lane_app) as lane, serving(generic_app) as generic:
        yield Pair(lane, generic, lane_app)


async def _buy(
    pair: Pair,
    sales: Sales,
    tokens: tuple[str, str],
    query: str = STOREFRONT_BUY,
    *,
    lane: bool = True,
    accept: str | None = None,
    **variables: Any,
) -> dict[str, Any]:
    """Buy in the lane's sale through the lane and in the other sale through generic execution."""
    event_var = "eventId" if "$eventId" in query else "e"
    before = _lane(pair.lane_app).answered
    extra = {"accept": accept} if accept else {}
    fast = await pair.post(
        pair.lane,
        {"query": query, "variables": {event_var: sales.lane, **variables}},
        tokens[0],
        **extra,
    )
    assert (_lane(pair.lane_app).answered == before + 1) is lane
    slow = await pair.post(
        pair.generic,
        {"query": query, "variables": {event_var: sales.generic, **variables}},
        tokens[1],
        **extra,
    )
    assert fast == slow
    result: dict[str, Any] = json.loads(fast.split("\n\n", 1)[1])
    return result


async def test_a_purchase_and_every_refusal_answer_alike(pair: Pair, runtime: Runtime) -> None:
    sales = await _sales(runtime, 2)
    ann, bob, cy = await _shoppers("ann"), await _shoppers("bob"), await _shoppers("cy")

    won = await _buy(pair, sales, ann)
    assert won == {
        "data": {
            "seckillBuy": {
                "ticket": {
                    "id": "<ticket>",
                    "status": "QUEUED",
                    "failureReason": None,
                    "order": None,
                },
                "userErrors": [],
            }
        },
        # seckillBuy 10, ticket 1, order 1, userErrors 10 x 1 (graphql/cost.py)
        "extensions": {"cost": {"requested": 22, "limit": 2000}},
    }
    again = await _buy(pair, sales, ann)
    assert again["data"]["seckillBuy"]["userErrors"][0]["code"] == "ALREADY_PURCHASED"
    assert (await _buy(pair, sales, bob))["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"
    sold_out = await _buy(pair, sales, cy)
    assert sold_out["data"]["seckillBuy"] == {
        "ticket": None,
        "userErrors": [
            {
                "field": ["eventId"],
                "message": sold_out["data"]["seckillBuy"]["userErrors"][0]["message"],
                "code": "SOLD_OUT",
            }
        ],
    }
    # Both sales persist alike: two orders each.
    await drain(runtime)
    for event in (sales.lane, sales.generic):
        assert await Order.filter(seckill_event_id=int(_pk(event))).count() == 2


async def test_a_verified_only_sale_answers_alike_and_reserves_nothing(
    pair: Pair, runtime: Runtime
) -> None:
    sales = await _sales(runtime, 2, verified_only=True)
    lane_user = await User.create(email="gus-lane@example.com", password_hash="x")
    generic_user = await User.create(email="gus-generic@example.com", password_hash="x")
    unverified = (token_for(lane_user.id), token_for(generic_user.id))
    refused = await _buy(pair, sales, unverified)
    assert refused.pop("extensions")["cost"]["requested"] > 0
    assert refused == {
        "data": {
            "seckillBuy": {
                "ticket": None,
                "userErrors": [
                    {
                        "field": ["eventId"],
                        "message": "Verify your email address to take part in this sale",
                        "code": "EMAIL_NOT_VERIFIED",
                    }
                ],
            }
        }
    }
    store = SaleStore.of(runtime)
    for event in (sales.lane, sales.generic):
        event_id = int(_pk(event))
        assert (await store.read_states([event_id]))[event_id].remaining == 2
        assert await store.ledger(event_id) == []
    verified = (
        token_for(lane_user.id, email_verified=True),
        token_for(generic_user.id, email_verified=True),
    )
    bought = await _buy(pair, sales, verified)
    assert bought["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"


async def test_a_refusal_in_chinese_answers_alike(pair: Pair, runtime: Runtime) -> None:
    """The lane writes userErrors' messages in the language of Accept-Language, as the view."""
    sales = await _sales(runtime, 2, verified_only=True)
    lane_token, generic_token = await _shoppers("hu")
    before = _lane(pair.lane_app).answered
    answers = []
    for client, token, event in (
        (pair.lane, lane_token, sales.lane),
        (pair.generic, generic_token, sales.generic),
    ):
        body = {"query": STOREFRONT_BUY, "variables": {"eventId": event}}
        answers.append(await pair.post(client, body, token, accept_language="zh-CN,zh;q=0.9"))
    assert _lane(pair.lane_app).answered == before + 1  # the lane answered the first
    assert answers[0] == answers[1]
    refused = json.loads(answers[0].split("\n\n", 1)[1])
    assert refused["data"]["seckillBuy"]["userErrors"] == [
        {
            "field": ["eventId"],
            "message": "请先验证邮箱，再参加本场秒杀",
            "code": "EMAIL_NOT_VERIFIED",
        }
    ]


async def test_aliases_fragments_typenames_and_limits(pair: Pair, runtime: Runtime) -> None:
    sales = await _sales(runtime, 5, per_user_limit=1)
    cat = await _shoppers("cat")
    over = await _buy(pair, sales, cat, SHAPED_BUY, q=2)
    assert over["data"]["attempt"]["errors"][0]["code"] == "LIMIT_EXCEEDED"
    literal = await _buy(pair, sales, cat, LITERAL_QUANTITY)
    assert literal["data"]["seckillBuy"]["userErrors"][0]["code"] == "LIMIT_EXCEEDED"
    invalid = await _buy(pair, sales, await _shoppers("dan"), SHAPED_BUY, q=0)
    assert invalid["data"]["attempt"]["errors"][0]["code"] == "INVALID"
    bought = await _buy(pair, sales, await _shoppers("eve"), SHAPED_BUY)
    assert bought["data"]["__typename"] == "Mutation"
    assert bought["data"]["attempt"]["ticket"] == {
        "status": "QUEUED",
        "ticketId": "<ticket>",
        "quantity": 1,
        "__typename": "SeckillTicket",
    }


async def test_window_edges_and_rate_limit(pair: Pair, runtime: Runtime) -> None:
    early = await _sales(runtime, 3, starts_in=timedelta(hours=1))
    late = await _sales(runtime, 3, starts_in=timedelta(seconds=-10), lasts=timedelta(seconds=11))
    await asyncio.sleep(1.1)  # warm, and now over by Redis's clock
    fay = await _shoppers("fay")
    codes = []
    for sales in (early, late):
        body = await _buy(pair, sales, fay)
        codes.append(body["data"]["seckillBuy"]["userErrors"][0]["code"])
    assert codes == ["NOT_STARTED", "ENDED"]
    # The shopper's bucket for a sale holds 2 tokens (burst 2, refilling at 0.01/s): the third
    # attempt at the same sale is refused.
    assert (await _buy(pair, early, fay))["data"]["seckillBuy"]["userErrors"][0]["code"] == (
        "NOT_STARTED"
    )
    limited = await _buy(pair, early, fay)
    assert limited["data"] is None
    assert limited["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert limited["errors"][0]["path"] == ["seckillBuy"]
    assert limited["errors"][0]["extensions"]["retryAfter"] >= 1


async def test_irregular_requests_are_left_to_generic_execution(
    pair: Pair, runtime: Runtime, settings: Any
) -> None:
    sales = await _sales(runtime, 3)
    gus = await _shoppers("gus")
    for query, extra in (
        (NEEDS_DATABASE, {}),
        (WITH_DIRECTIVE, {"x": True}),
        (TWO_FIELDS, {}),
        ("mutation($e: ID!) { seckillBuy(eventId: $e) { nope } }", {}),
    ):
        await _buy(pair, sales, gus, query, lane=False, **extra)
    # No token, a bad token, a malformed id, a missing variable.
    none = await pair.same(
        STOREFRONT_BUY, {"eventId": sales.lane}, lane_token=None, generic_token=None,
        answered_by_lane=False,
    )  # fmt: skip
    assert none["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    bad = await pair.same(
        STOREFRONT_BUY, {"eventId": sales.lane}, lane_token="x.y.z", generic_token="x.y.z",
        answered_by_lane=False,
    )  # fmt: skip
    assert bad["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    foreign = await _buy(pair, Sales("bm90IGFuIGlk", "bm90IGFuIGlk"), gus, lane=False)
    assert foreign["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    missing = await pair.same(
        STOREFRONT_BUY, {}, lane_token=gus[0], generic_token=gus[1], answered_by_lane=False
    )
    assert missing["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # A revoked account's token is refused on the lane too (the same stamp check).
    lane_user = await User.get(email="gus-lane@example.com")
    generic_user = await User.get(email="gus-generic@example.com")
    for user in (lane_user, generic_user):
        await update_user(runtime, actor_id=0, user_id=user.id, is_active=False)
    keys = Keys(settings.redis_prefix)
    ledger = keys.event_ledger(int(_pk(sales.lane)))
    reservations = await runtime.redis.hlen(ledger)
    revoked = await pair.same(
        STOREFRONT_BUY, {"eventId": sales.lane}, lane_token=gus[0], generic_token=gus[1],
        answered_by_lane=False,
    )  # fmt: skip
    assert revoked["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await runtime.redis.hlen(ledger) == reservations  # nothing was reserved


def _pk(global_id: str) -> str:
    from strawberry.relay import GlobalID

    return GlobalID.from_id(global_id).node_id


def test_compiled_documents(settings: Any) -> None:
    schema = build_schema(settings)
    plan = compile_plan(schema._schema, STOREFRONT_BUY, rules=schema.extra_rules, max_tokens=2000)
    assert plan is not None and plan.operation_name == "SeckillBuy"
    assert [s.key for s in plan.payload] == ["ticket", "userErrors"]
    assert [s.name for s in plan.payload[0].children] == ["id", "status", "failureReason", "order"]
    assert plan.operation.operation is OperationType.MUTATION
    for declined in (NEEDS_DATABASE, WITH_DIRECTIVE, TWO_FIELDS, "{ serverTime }", "mutation {"):
        assert (
            compile_plan(schema._schema, declined, rules=schema.extra_rules, max_tokens=2000)
            is None
        )
    # Too many tokens: declined like the generic path refuses it.
    assert (
        compile_plan(schema._schema, STOREFRONT_BUY, rules=schema.extra_rules, max_tokens=10)
        is None
    )
    parse(STOREFRONT_BUY)


def test_variables_are_coerced_like_graphql_core_or_left_to_it(settings: Any) -> None:
    schema = build_schema(settings)

    def plan_for(query: str) -> Any:
        plan = compile_plan(schema._schema, query, rules=schema.extra_rules, max_tokens=2000)
        assert plan is not None
        return plan

    nullable = plan_for(
        "mutation($e: ID!, $q: Int) { seckillBuy(eventId: $e, quantity: $q) { userErrors { code } } }"
    )
    assert coerce_arguments(nullable, {"e": "abc"}) == {"eventId": "abc", "quantity": 1}
    assert coerce_arguments(nullable, {"e": 42, "q": 3}) == {"eventId": "42", "quantity": 3}
    # What graphql-core refuses, or what this lane does not coerce, goes to the generic path.
    for refused in (
        {},
        {"e": None},
        {"e": "abc", "q": None},
        {"e": "abc", "q": True},
        {"e": "abc", "q": 2**31},
        {"e": "abc", "q": "2"},
        {"e": 1.5},
    ):
        assert coerce_arguments(nullable, refused) is None, refused
    defaulted = plan_for(SHAPED_BUY)
    assert coerce_arguments(defaulted, {"e": "x"}) == {"eventId": "x", "quantity": 1}
    literal = plan_for(LITERAL_QUANTITY)
    assert coerce_arguments(literal, {"e": "x", "q": 5}) == {"eventId": "x", "quantity": 2}
    # A document declaring a variable of an input type is not compiled at all.
    assert (
        compile_plan(
            schema._schema,
            "mutation($e: ID!, $f: ProductFilter) { seckillBuy(eventId: $e) { userErrors { code } } }",
            rules=schema.extra_rules,
            max_tokens=2000,
        )
        is None
    )


async def test_concurrent_buys_through_the_lane_sell_exactly_the_stock(
    app_factory: Any, runtime: Runtime
) -> None:
    """900 simultaneous attempts by 300 shoppers for 50 units, all answered by the lane."""
    app = app_factory(seckill_ip_rate=1e9, seckill_ip_burst=10**9)
    event = await sale(50)
    await warm_up(runtime, event.id)
    await User.bulk_create(
        [User(email=f"rush{i}@example.com", password_hash="x") for i in range(300)]
    )
    tokens = [token_for(u.id) for u in await User.filter(email__startswith="rush")]
    body = {"query": STOREFRONT_BUY, "variables": {"eventId": encode_id("SeckillEvent", event.id)}}
    async with serving(app) as http:
        responses = await asyncio.gather(
            *(
                http.post("/graphql", json=body, headers={"authorization": f"Bearer {t}"})
                for t in tokens * 3
            )
        )
        assert _lane(app).answered == 900
    payloads = [r.json()["data"]["seckillBuy"] for r in responses]
    tickets = [p["ticket"]["id"] for p in payloads if p["ticket"]]
    assert len(tickets) == len(set(tickets)) == 50
    codes = {e["code"] for p in payloads for e in p["userErrors"]}
    assert codes <= {"SOLD_OUT", "ALREADY_PURCHASED"}
    await drain(runtime)
    assert await Order.filter(seckill_event_id=event.id).count() == 50
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.remaining, report.oversold, report.undersold) == (50, 0, 0, 0)


@pytest.mark.parametrize("origin", [ALLOWED_ORIGIN, "https://elsewhere.example"])
async def test_cors_headers_and_the_request_id_match_the_middleware_stack(
    pair: Pair, runtime: Runtime, origin: str
) -> None:
    """The lane answers ahead of the middleware stack and adds exactly what it would."""
    sales = await _sales(runtime, 5)
    lane_token, generic_token = await _shoppers(f"cors-{origin.split('//')[1]}")
    before = _lane(pair.lane_app).answered
    query = {"query": STOREFRONT_BUY}
    fast = await pair.post(
        pair.lane, {**query, "variables": {"eventId": sales.lane}}, lane_token, origin=origin
    )
    assert _lane(pair.lane_app).answered == before + 1
    slow = await pair.post(
        pair.generic, {**query, "variables": {"eventId": sales.generic}}, generic_token,
        origin=origin,
    )  # fmt: skip
    assert fast == slow
    assert (f"access-control-allow-origin: {origin}\n" in fast) is (origin == ALLOWED_ORIGIN)
    assert "vary: Accept, Origin\n" in fast  # the media type depends on Accept (transport.py)


async def test_request_ids_on_the_lane_are_made_and_read_as_the_stack_does(
    pair: Pair, runtime: Runtime
) -> None:
    """Without `x-request-id`, each answer gets a fresh one (32 hex digits, as `uuid4().hex`);
    with several, the last counts, on the lane as through the stack."""
    sales = await _sales(runtime, 5)
    lane_token, generic_token = await _shoppers("request-ids")
    made = []
    for _ in range(2):
        response = await pair.lane.post(
            "/graphql",
            json={"query": STOREFRONT_BUY, "variables": {"eventId": sales.lane}},
            headers={"authorization": f"Bearer {lane_token}"},
        )
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
        made.append(response.headers["x-request-id"])
    assert made[0] != made[1]
    before = _lane(pair.lane_app).answered
    sent = [("x-request-id", "first"), ("x-request-id", "last")]
    for client, token, event in (
        (pair.lane, lane_token, sales.lane),
        (pair.generic, generic_token, sales.generic),
    ):
        response = await client.post(
            "/graphql",
            json={"query": STOREFRONT_BUY, "variables": {"eventId": event}},
            headers=[("authorization", f"Bearer {token}"), *sent],
        )
        assert response.headers["x-request-id"] == "last"
    assert _lane(pair.lane_app).answered == before + 1


async def test_lane_answers_count_in_the_request_metric(pair: Pair, runtime: Runtime) -> None:
    sales = await _sales(runtime, 5)
    lane_token, _ = await _shoppers("metric")
    labels = {"route": "/graphql", "status": "200"}
    # Labelled by the root field, as generic execution labels it (operation_label).
    operation = {"operation": "seckillBuy", "type": "mutation", "outcome": "ok"}
    before = REGISTRY.get_sample_value("flashmart_http_requests_total", labels) or 0
    bought = REGISTRY.get_sample_value("flashmart_graphql_requests_total", operation) or 0
    await pair.post(pair.lane, {"query": STOREFRONT_BUY, "variables": {"eventId": sales.lane}},
                    lane_token)  # fmt: skip
    assert REGISTRY.get_sample_value("flashmart_http_requests_total", labels) == before + 1
    assert REGISTRY.get_sample_value("flashmart_graphql_requests_total", operation) == bought + 1


async def test_a_body_over_the_limit_is_refused_as_before(
    app_factory: Any, runtime: Runtime
) -> None:
    app = app_factory(max_body_bytes=2048)
    event = await sale(5)
    await warm_up(runtime, event.id)
    user = await User.create(email="large@example.com", password_hash="x")
    body = {"query": STOREFRONT_BUY, "variables": {"eventId": encode_id("SeckillEvent", event.id)}}
    async with serving(app) as http:
        headers = {"authorization": f"Bearer {token_for(user.id)}"}
        small = await http.post("/graphql", json=body, headers=headers)
        assert small.json()["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"
        padded = {**body, "extensions": {"padding": "x" * 3000}}
        large = await http.post("/graphql", json=padded, headers=headers)
    assert large.status_code == 413
    assert large.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert _lane(app).answered == 1


async def test_a_buy_by_document_id_is_answered_alike_from_its_compiled_plan(
    pair: Pair, runtime: Runtime
) -> None:
    """The storefront's own request: the lane finds the plan by id and answers what generic
    execution of the manifest's text answers."""
    sales = await _sales(runtime, 1)
    buy_id, _ = persisted("SeckillBuy")
    assert buy_id in _lane(pair.lane_app).persisted  # compiled when the app was made
    answers = []
    for name in ("id-ann", "id-bob"):
        tokens = await _shoppers(name)
        before = _lane(pair.lane_app).answered
        bodies = [
            {"documentId": buy_id, "variables": {"eventId": event}, "operationName": "SeckillBuy"}
            for event in (sales.lane, sales.generic)
        ]
        fast = await pair.post(pair.lane, bodies[0], tokens[0])
        assert _lane(pair.lane_app).answered == before + 1
        slow = await pair.post(pair.generic, bodies[1], tokens[1])
        assert fast == slow
        answers.append(json.loads(fast.split("\n\n", 1)[1]))
    cost = answers[0].pop("extensions")["cost"]  # the plan's static cost, as generic reports
    assert 0 < cost["requested"] <= cost["limit"]
    assert answers[0] == {
        "data": {
            "__typename": "Mutation",
            "seckillBuy": {
                "__typename": "SeckillBuyPayload",
                "ticket": {
                    "__typename": "SeckillTicket",
                    "failureReason": None,
                    "id": "<ticket>",
                    "status": "QUEUED",
                },
                "userErrors": [],
            },
        }
    }
    assert answers[1]["data"]["seckillBuy"]["userErrors"][0]["code"] == "SOLD_OUT"


async def test_with_trusted_documents_only_a_raw_buy_reserves_nothing(
    app_factory: Any, runtime: Runtime, settings: Any
) -> None:
    app = app_factory(trusted_documents_only=True)
    event = await sale(5)
    await warm_up(runtime, event.id)
    variables = {"eventId": encode_id("SeckillEvent", event.id)}
    ledger = Keys(settings.redis_prefix).event_ledger(event.id)
    buy_id, buy_text = persisted("SeckillBuy")
    users = [await User.create(email=f"raw{i}@example.com", password_hash="x") for i in range(3)]
    admin = await User.create(email="raw-admin@example.com", password_hash="x", role=Role.ADMIN)
    lane = _lane(app)

    async def post(body: dict[str, Any], token: str) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"}
        response = await http.post(
            "/graphql", json={**body, "variables": variables}, headers=headers
        )
        answer: dict[str, Any] = response.json()
        return answer

    async with serving(app) as http:
        for text in (STOREFRONT_BUY, SHAPED_BUY.replace("$e", "$eventId")):
            refused = await post({"query": text}, token_for(users[0].id))
            assert refused["data"] is None and error_code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
        assert lane.answered == 0
        assert await runtime.redis.hlen(ledger) == 0  # nothing was reserved
        # The manifest's document, by its exact text or by id: the lane answers.
        for body, user in (({"query": buy_text}, users[1]), ({"documentId": buy_id}, users[2])):
            bought = await post(body, token_for(user.id))
            assert bought["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"
        assert lane.answered == 2
        # An administrator's own document runs, through generic execution.
        by_admin = await post({"query": STOREFRONT_BUY}, token_for(admin.id, Role.ADMIN))
        assert by_admin["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"
        assert lane.answered == 2
    assert await runtime.redis.hlen(ledger) == 3


@pytest.mark.parametrize(
    "accept",
    [
        "application/graphql-response+json",
        "application/graphql-response+json, application/json;q=0.9",
        "application/json",
        "*/*",
    ],
)
async def test_the_lane_answers_in_the_negotiated_media_type(
    pair: Pair, runtime: Runtime, accept: str
) -> None:
    sales = await _sales(runtime, 1)
    won = await _buy(pair, sales, await _shoppers("media-a"), accept=accept)
    assert won["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"
    sold_out = await _buy(pair, sales, await _shoppers("media-b"), accept=accept)
    assert sold_out["data"]["seckillBuy"]["userErrors"][0]["code"] == "SOLD_OUT"


async def test_the_lane_leaves_what_the_view_refuses_to_the_view(
    pair: Pair, runtime: Runtime
) -> None:
    """An Accept neither media type satisfies (406), a body that is not a well-formed
    GraphQL-over-HTTP request (400) and a charset other than UTF-8 (415) are the view's to
    refuse: the lane reserves nothing for them."""
    sales = await _sales(runtime, 5)
    lane_token, generic_token = await _shoppers("refused")
    buy = {"query": STOREFRONT_BUY}

    def raw(event: str, **extra: Any) -> bytes:
        return json.dumps({**buy, "variables": {"eventId": event}, **extra}).encode()

    cases: list[tuple[Any, Any, int, dict[str, str]]] = [
        ({**buy, "variables": {"eventId": sales.lane}},
         {**buy, "variables": {"eventId": sales.generic}}, 406, {"accept": "text/html"}),
        (raw(sales.lane, extensions="x"), raw(sales.generic, extensions="x"), 400, {}),
        (raw(sales.lane, operationName=0), raw(sales.generic, operationName=0), 400, {}),
        (raw(sales.lane).replace(b"}}", b', "n": NaN}}'),
         raw(sales.generic).replace(b"}}", b', "n": NaN}}'), 400, {}),
        (raw(sales.lane).decode().encode("utf-16"),
         raw(sales.generic).decode().encode("utf-16"), 400, {}),
        (raw(sales.lane), raw(sales.generic), 415,
         {"content_type": "application/json; charset=latin1"}),
    ]  # fmt: skip
    for lane_body, generic_body, status, extra in cases:
        before = _lane(pair.lane_app).answered
        fast = await pair.post(pair.lane, lane_body, lane_token, status=status, **extra)
        assert _lane(pair.lane_app).answered == before, (status, extra)
        slow = await pair.post(pair.generic, generic_body, generic_token, status=status, **extra)
        assert fast == slow
        assert '"data"' not in fast
    assert await runtime.redis.hlen(Keys(runtime.settings.redis_prefix).event_ledger(
        int(_pk(sales.lane)))) == 0  # fmt: skip
