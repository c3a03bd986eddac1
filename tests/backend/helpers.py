"""Helpers shared by the backend tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from graphql import OperationDefinitionNode, parse

from flashmart.accounts.models import Role
from flashmart.accounts.tokens import issue_access_token

TEST_SECRET = "test-secret-" + "x" * 40


@contextlib.asynccontextmanager
async def serving(app: Any, base_url: str = "http://test") -> AsyncIterator[httpx.AsyncClient]:
    """`app` started (its lifespan) and an HTTP client talking to it in process."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


class Api:
    """A GraphQL client over the real ASGI app."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.http = client
        self.token: str | None = None

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> dict[str, Any]:
        headers = {}
        bearer = token or self.token
        if bearer:
            headers["authorization"] = f"Bearer {bearer}"
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def token_for(user_id: int, role: Role = Role.CUSTOMER, *, email_verified: bool = False) -> str:
    return issue_access_token(
        user_id=user_id, role=role, secret=TEST_SECRET, email_verified=email_verified
    )


# --- accounts (appended by the accounts/auth work) ------------------------------------------
TEST_PASSWORD = "correct horse battery"

LOGIN = """
mutation Login($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    accessToken refreshToken user { id email role isActive } userErrors { field message code }
  }
}
"""

REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) { user { id email role } userErrors { field message code } }
}
"""


def fast_hashing(settings: Any) -> Any:
    """`settings` with the cheapest Argon2 parameters, for tests that hash many passwords."""
    return settings.model_copy(
        update={"password_hash_time_cost": 1, "password_hash_memory_cost": 8}
    )


def error_code(body: dict[str, Any]) -> str | None:
    """`extensions.code` of the first top-level error, or None when there is none."""
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


async def sign_up(
    api: Api, email: str, password: str = TEST_PASSWORD, *, role: Role = Role.CUSTOMER
) -> dict[str, Any]:
    """Create a real account (through the service, so `role` may be ADMIN) and sign it in over
    GraphQL; returns the `tokenCreate` payload (`accessToken`, `refreshToken`, `user`)."""
    from flashmart.accounts.passwords import hash_password
    from flashmart.accounts.services import create_user

    cheap = hash_password(password, time_cost=1, memory_cost=8)
    await create_user(email=email, password=password, role=role, password_hash=cheap)
    body = await api.gql(LOGIN, {"email": email, "password": password})
    payload: dict[str, Any] = body["data"]["tokenCreate"]
    assert payload["userErrors"] == [], payload
    return payload


# --- trusted documents ----------------------------------------------------------------------
MANIFEST = Path(__file__).resolve().parents[2] / "persisted-documents.json"


@cache
def persisted(operation_name: str) -> tuple[str, str]:
    """(documentId, text) of the frontend's document of that operation, from the manifest."""
    from flashmart.graphql.trusted_documents import Manifest

    for document_id, text in Manifest.read(MANIFEST).texts.items():
        for definition in parse(text).definitions:
            name = definition.name if isinstance(definition, OperationDefinitionNode) else None
            if name is not None and name.value == operation_name:
                return document_id, text
    raise KeyError(f"no {operation_name} in {MANIFEST}")
