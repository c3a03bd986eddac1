"""Helpers shared by the backend tests."""

from __future__ import annotations

from typing import Any

import httpx

from flashmart.accounts.models import Role
from flashmart.accounts.tokens import issue_access_token

TEST_SECRET = "test-secret-" + "x" * 40


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


def token_for(user_id: int, role: Role = Role.CUSTOMER) -> str:
    return issue_access_token(user_id=user_id, role=role, secret=TEST_SECRET)
