"""GraphQL over HTTP (graphql/transport.py): media types, request parameters, status codes.

`application/graphql-response+json` gets the specification's status codes (4xx/5xx and no
`data` for a request error); `application/json` (also without `Accept`) answers every
well-formed request with 200, as it always did. Malformed requests are 4xx for both."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from flashmart.accounts.models import User
from flashmart.core.settings import Settings
from flashmart.graphql.transport import (
    APPLICATION_JSON,
    GRAPHQL_RESPONSE,
    MAX_JSON_DEPTH,
    json_depth,
    negotiate,
)
from tests.backend.helpers import Api, token_for

GRAPHQL = "application/graphql-response+json"
GRAPHQL_TYPE = "application/graphql-response+json; charset=utf-8"
BOTH = f"{GRAPHQL}, application/json;q=0.9"
JSON_TYPE = {"content-type": "application/json"}


async def _post(
    api: Api, body: Any, accept: str | None = GRAPHQL, **headers: str
) -> httpx.Response:
    sent = {**JSON_TYPE, **headers}
    if accept is not None:
        sent["accept"] = accept
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    return await api.http.post("/graphql", content=content, headers=sent)


def _code(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


# --- Accept ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, APPLICATION_JSON),
        ("", APPLICATION_JSON),
        ("*/*", APPLICATION_JSON),
        ("application/*", APPLICATION_JSON),
        ("application/json", APPLICATION_JSON),
        (GRAPHQL, GRAPHQL_RESPONSE),
        (BOTH, GRAPHQL_RESPONSE),
        ("application/json, application/graphql-response+json", APPLICATION_JSON),
        ("application/json;q=0.5, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("Application/GraphQL-Response+JSON; charset=UTF-8", GRAPHQL_RESPONSE),
        # urql's default
        (
            "application/graphql-response+json, application/graphql+json, application/json, "
            "text/event-stream, multipart/mixed",
            GRAPHQL_RESPONSE,
        ),
        ("text/html,application/xhtml+xml,*/*;q=0.8", APPLICATION_JSON),  # a browser
        ("*/*, application/json;q=0", GRAPHQL_RESPONSE),  # the most specific range rules
        ("text/html", None),
        ("application/json;q=0, application/graphql-response+json;q=0", None),
        ("application/json; charset=latin1", None),
        ("nonsense, application/xml", None),
    ],
)
def test_negotiation(accept: str | None, chosen: object) -> None:
    assert negotiate(accept) == chosen


@pytest.mark.parametrize("accept", [GRAPHQL, BOTH])
async def test_graphql_response_media_type_is_served(api: Api, accept: str) -> None:
    response = await _post(api, {"query": "{ __typename }"}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_TYPE
    assert response.headers["vary"].startswith("Accept")
    assert response.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
async def test_application_json_is_served_as_before(api: Api, accept: str | None) -> None:
    response = await _post(api, {"query": "{ __typename }"}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "application/json;q=0"])
async def test_an_accept_we_cannot_serve_is_406(api: Api, accept: str) -> None:
    response = await _post(api, {"query": "{ __typename }"}, accept)
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/json"
    assert "application/graphql-response+json" in response.json()["errors"][0]["message"]


async def test_browsers_still_get_graphiql(api: Api) -> None:
    response = await api.http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


# --- request errors: 4xx without data for graphql-response+json, 200 for application/json ----
REQUEST_ERRORS = [
    pytest.param({"query": "{"}, "BAD_USER_INPUT", id="does-not-parse"),
    pytest.param({"query": "{ noSuchField }"}, "BAD_USER_INPUT", id="does-not-validate"),
    pytest.param(
        {"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": None}},
        "BAD_USER_INPUT",
        id="variables-do-not-coerce",
    ),
    pytest.param(
        {"query": "query A { __typename } query B { serverTime }"},
        "BAD_USER_INPUT",
        id="operation-not-chosen",
    ),
    pytest.param(
        {"query": "query A { __typename }", "operationName": "B"},
        "BAD_USER_INPUT",
        id="unknown-operation",
    ),
    pytest.param(
        {"query": 'subscription { seckillEventUpdated(id: "x") { id } }'},
        "BAD_USER_INPUT",
        id="subscription-over-http",
    ),
    pytest.param(
        {"query": "{ " + " ".join(f"t{i}: serverTime" for i in range(100)) + " }"},
        "QUERY_TOO_COMPLEX",
        id="too-many-aliases",
    ),
]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
async def test_request_errors_are_400_without_data(api: Api, body: Any, code: str) -> None:
    response = await _post(api, body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == GRAPHQL_TYPE
    answer = response.json()
    assert "data" not in answer
    assert [e["extensions"]["code"] for e in answer["errors"]] == [code]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
async def test_request_errors_are_200_with_null_data_for_json_clients(
    api: Api, body: Any, code: str
) -> None:
    for accept in (None, "application/json"):
        response = await _post(api, body, accept)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        answer = response.json()
        assert answer["data"] is None
        assert [e["extensions"]["code"] for e in answer["errors"]] == [code]


async def test_field_errors_are_200_with_data(api: Api) -> None:
    """A field error (here the anonymous shopper's `cart`, non-null) is a partial response."""
    response = await _post(api, {"query": "{ serverTime cart { id } }"})
    assert response.status_code == 200
    answer = response.json()
    assert "data" in answer and answer["data"] is None
    assert answer["errors"][0]["path"] == ["cart"]
    response = await _post(api, {"query": "{ serverTime me { id } }"})
    assert response.status_code == 200 and response.json()["data"]["me"] is None


async def test_a_refused_token_is_401_with_a_challenge(api: Api) -> None:
    response = await _post(api, {"query": "{ me { id } }"}, authorization="Bearer x.y.z")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    answer = response.json()
    assert "data" not in answer and _code(response) == "UNAUTHENTICATED"
    legacy = await _post(api, {"query": "{ me { id } }"}, None, authorization="Bearer x.y.z")
    assert legacy.status_code == 200 and legacy.json()["data"] is None


async def test_a_valid_token_still_works(api: Api, db: None) -> None:
    user = await User.create(email="spec@example.com", password_hash="x")
    response = await _post(
        api, {"query": "{ me { email } }"}, authorization=f"Bearer {token_for(user.id)}"
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"me": {"email": "spec@example.com"}}


# --- malformed requests: 4xx whatever the media type ----------------------------------------
MALFORMED = [
    pytest.param('{ "not a JSON', 400, id="invalid-json"),
    pytest.param("", 400, id="empty-body"),
    pytest.param("null", 400, id="null-body"),
    pytest.param('"{ __typename }"', 400, id="string-body"),
    pytest.param("42", 400, id="number-body"),
    pytest.param('[{"query": "{ __typename }"}]', 400, id="batch"),
    pytest.param('{"qeury": "{ __typename }"}', 400, id="no-query"),
    pytest.param('{"query": ["{ __typename }"]}', 400, id="query-not-a-string"),
    pytest.param('{"query": "{ __typename }", "operationName": 0}', 400, id="operation-name-0"),
    pytest.param('{"query": "{ __typename }", "operationName": {}}', 400, id="operation-name-map"),
    pytest.param('{"query": "{ __typename }", "variables": [7]}', 400, id="variables-list"),
    pytest.param('{"query": "{ __typename }", "variables": "{}"}', 400, id="variables-string"),
    pytest.param('{"query": "{ __typename }", "extensions": false}', 400, id="extensions-false"),
    pytest.param(
        '{"query": "query($n: Int) { __typename }", "variables": {"n": NaN}}',
        400,
        id="nan-is-not-json",
    ),
    pytest.param(
        '{"query": "{ __typename }", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        400,
        id="nested-too-deep",
    ),
    pytest.param(b'{"query": "{ __typename \xff }"}', 400, id="not-utf-8"),
    pytest.param('{"query": "{ __typename }"}'.encode("utf-16"), 400, id="utf-16"),
]


@pytest.mark.parametrize(("body", "status"), MALFORMED)
async def test_malformed_requests_are_4xx(api: Api, body: str | bytes, status: int) -> None:
    for accept in (GRAPHQL, "application/json", None):
        response = await _post(api, body, accept)
        assert response.status_code == status, (accept, response.text)
        expected = GRAPHQL_TYPE if accept == GRAPHQL else "application/json"
        assert response.headers["content-type"] == expected
        answer = response.json()
        assert "data" not in answer and _code(response) == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ('{"query": "{ a { b } }"}', 1),
        ('{"x": [[{"y": "[[[[{{{"}]]}', 4),
        ('{"x": "\\"[[["}', 1),
        ("[" * 70 + "]" * 70, 70),
    ],
)
def test_json_depth_skips_brackets_inside_strings(text: str, depth: int) -> None:
    assert json_depth(text) == depth


async def test_variables_as_deep_as_the_limit_are_accepted_one_deeper_refused(api: Api) -> None:
    def body(levels: int) -> str:
        value = "[" * (levels - 1) + "1" + "]" * (levels - 1)
        return json.dumps({"query": "{ __typename }", "extensions": {}})[:-1] + f', "x": {value}}}'

    accepted = await _post(api, body(MAX_JSON_DEPTH), GRAPHQL)
    assert accepted.status_code == 200, accepted.text
    refused = await _post(api, body(MAX_JSON_DEPTH + 1), GRAPHQL)
    assert refused.status_code == 400 and _code(refused) == "BAD_USER_INPUT"
    assert f"deeper than {MAX_JSON_DEPTH} levels" in refused.text


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"],
)
async def test_an_unsupported_content_type_is_415(api: Api, content_type: str | None) -> None:
    headers = {"accept": GRAPHQL} | ({"content-type": content_type} if content_type else {})
    response = await api.http.post(
        "/graphql", content='{"query": "{ __typename }"}', headers=headers
    )
    assert response.status_code == 415
    assert "data" not in response.json()


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"', "utf8"])
async def test_a_utf_8_charset_is_accepted(api: Api, charset: str) -> None:
    body = {"query": '{ __type(name: "Run🏃Swim🏊") { name } }'}
    response = await _post(api, body, **{"content-type": f"application/json; charset={charset}"})
    assert response.status_code == 200
    assert response.json()["data"] == {"__type": None}


@pytest.mark.parametrize(
    "extra", [{"operationName": None}, {"variables": None}, {"extensions": None}]
)
async def test_null_optional_parameters_are_absent_ones(api: Api, extra: dict[str, Any]) -> None:
    response = await _post(api, {"query": "{ __typename }", **extra})
    assert response.status_code == 200 and "errors" not in response.json()


# --- GET --------------------------------------------------------------------------------------
async def _get(
    api: Api, params: list[tuple[str, str]], accept: str | None = GRAPHQL
) -> httpx.Response:
    headers = {"accept": accept} if accept else {}
    return await api.http.get("/graphql", params=params, headers=headers)


async def test_get_runs_queries_with_json_variables(api: Api) -> None:
    query = "query Type($name: String!) { __type(name: $name) { name } }"
    response = await _get(api, [("query", query), ("variables", '{"name": "Product"}')])
    assert response.status_code == 200
    assert response.json()["data"] == {"__type": {"name": "Product"}}


@pytest.mark.parametrize("empty", ["variables", "extensions", "operationName"])
async def test_get_empty_parameters_are_absent_ones(api: Api, empty: str) -> None:
    response = await _get(api, [("query", "{ __typename }"), (empty, "")])
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize("accept", [GRAPHQL, "application/json", None])
async def test_get_refuses_mutations_with_405(api: Api, accept: str | None) -> None:
    for params in (
        [("query", "mutation { cartClear { userErrors { code } } }")],
        [("query", "query Q { __typename } mutation M { __typename }"), ("operationName", "M")],
    ):
        response = await _get(api, params, accept)
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "POST"
        assert "data" not in response.json()
    # The query of the same document may run.
    allowed = [
        ("query", "query Q { __typename } mutation M { __typename }"),
        ("operationName", "Q"),
    ]
    assert (await _get(api, allowed, accept)).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        [("query", "{ __typename }"), ("query", "{ serverTime }")],
        [("query", "{ __typename }"), ("variables", "{")],
        [("query", "{ __typename }"), ("variables", "[1]")],
        [("query", "{ __typename }"), ("extensions", '"x"')],
        [("variables", "{}")],
    ],
)
async def test_get_malformed_parameters_are_400(api: Api, params: list[tuple[str, str]]) -> None:
    for accept in (GRAPHQL, "application/json"):
        response = await _get(api, params, accept)
        assert response.status_code == 400, response.text
        assert "data" not in response.json()


async def test_unsupported_methods_are_405_with_allow(api: Api) -> None:
    for method in ("HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"):
        response = await api.http.request(method, "/graphql?query=%7B__typename%7D")
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, POST"
        if method != "HEAD":
            assert _code(response) == "BAD_USER_INPUT"


# --- outages before execution -----------------------------------------------------------------
@pytest.mark.parametrize("lane", [True, False])
async def test_an_outage_before_execution_is_503_with_retry_after(
    settings: Settings, redis: Redis, lane: bool
) -> None:
    from flashmart.app import create_app
    from flashmart.graphql.ids import encode_id

    down = settings.model_copy(
        update={
            "database_url": "postgres://postgres@127.0.0.1:1/flashmart",  # nothing listens
            "database_connect_timeout_seconds": 0.5,
            "graphql_buy_lane": lane,
        }
    )
    app = create_app(down)
    buy = "mutation($e: ID!) { seckillBuy(eventId: $e) { ticket { id } userErrors { code } } }"
    request = {"query": buy, "variables": {"e": encode_id("SeckillEvent", 1)}}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            headers = {"authorization": f"Bearer {token_for(1)}", **JSON_TYPE}
            for accept, status in ((GRAPHQL, 503), ("application/json", 200)):
                response = await client.post(
                    "/graphql", json=request, headers={**headers, "accept": accept}
                )
                assert response.status_code == status, response.text
                answer = response.json()
                assert ("data" in answer) is (status == 200)
                assert answer["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
                assert response.headers["retry-after"] == str(
                    answer["errors"][0]["extensions"]["retryAfter"]
                )
