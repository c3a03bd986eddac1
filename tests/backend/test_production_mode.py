"""ENV=production: GraphiQL and introspection default to off (explicit values win), and an
introspection query is refused with a typed error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from flashmart.app import create_app
from flashmart.core.settings import Settings
from tests.backend.helpers import serving

SCHEMA_QUERY = "{ __schema { queryType { name } types { name fields { name } } } }"
TYPE_QUERY = 'query Peek { __type(name: "Query") { name fields { name } } }'


def _production(settings: Settings, **overrides: Any) -> Settings:
    """The test's settings, rebuilt (validated again) as production. Trusted documents are
    turned off (production turns them on) so raw documents reach the introspection rule."""
    values = settings.model_dump(exclude={"graphiql", "graphql_introspection"})
    values.update(
        env="production", allow_sandbox_payments=True, trusted_documents_only=False, **overrides
    )
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def serve(settings: Settings, db: None, redis: Redis) -> Any:
    async def start(app_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
        async with serving(create_app(app_settings, manage_database=False)) as client:
            yield client

    return start


def test_graphiql_and_introspection_default_by_environment(tmp_path: Path) -> None:
    secrets = {"jwt_secret": "j" * 40, "payment_webhook_secret": "p" * 40}
    development = Settings(_env_file=None, data_dir=tmp_path, **secrets)  # type: ignore[call-arg]
    assert development.graphiql is True and development.graphql_introspection is True
    production = Settings(_env_file=None, env="production", allow_sandbox_payments=True, **secrets)  # type: ignore[call-arg]
    assert production.graphiql is False and production.graphql_introspection is False
    explicit = Settings(
        _env_file=None,
        env="production",
        allow_sandbox_payments=True,
        graphiql=True,
        graphql_introspection=True,
        **secrets,
    )  # type: ignore[call-arg]
    assert explicit.graphiql is True and explicit.graphql_introspection is True
    closed = Settings(
        _env_file=None, data_dir=tmp_path, graphiql=False, graphql_introspection=False, **secrets
    )  # type: ignore[call-arg]
    assert closed.graphiql is False and closed.graphql_introspection is False


def test_environment_variables_override_the_production_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "ENV": "production",
        "JWT_SECRET": "j" * 40,
        "PAYMENT_WEBHOOK_SECRET": "p" * 40,
        "ALLOW_SANDBOX_PAYMENTS": "true",
        "GRAPHQL_INTROSPECTION": "true",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.graphql_introspection is True and settings.graphiql is False


@pytest.mark.parametrize("query", [SCHEMA_QUERY, TYPE_QUERY], ids=["__schema", "__type"])
async def test_production_refuses_introspection_with_a_typed_error(
    serve: Any, settings: Settings, query: str
) -> None:
    async for client in serve(_production(settings)):
        response = await client.post("/graphql", json={"query": query})
    body = response.json()
    assert body.get("data") is None
    [error] = body["errors"]  # one error for the field, none for what it selects
    assert error["extensions"]["code"] == "INTROSPECTION_DISABLED"
    assert error["message"].startswith("Introspection is disabled")
    assert "Traceback" not in response.text


async def test_production_still_answers_typename_and_ordinary_queries(
    serve: Any, settings: Settings
) -> None:
    async for client in serve(_production(settings)):
        response = await client.post("/graphql", json={"query": "{ __typename serverTime }"})
    body = response.json()
    assert "errors" not in body, body
    assert body["data"]["__typename"] == "Query"


async def test_production_serves_no_graphiql(serve: Any, settings: Settings) -> None:
    async for client in serve(_production(settings)):
        response = await client.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in response.text.lower()


async def test_explicit_settings_turn_both_back_on_in_production(
    serve: Any, settings: Settings
) -> None:
    explicit = _production(settings, graphiql=True, graphql_introspection=True)
    async for client in serve(explicit):
        page = await client.get("/graphql", headers={"accept": "text/html"})
        answer = await client.post("/graphql", json={"query": SCHEMA_QUERY})
    assert "graphiql" in page.text.lower()
    assert answer.json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_development_answers_introspection(serve: Any, settings: Settings) -> None:
    async for client in serve(settings):
        response = await client.post("/graphql", json={"query": TYPE_QUERY})
    assert response.json()["data"]["__type"]["name"] == "Query"
