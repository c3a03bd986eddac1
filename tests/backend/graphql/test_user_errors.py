"""The one mapping of a service's `DomainFailure` to a payload's `userErrors` (graphql/errors.py).

Each mutation's own tests pin its refusals; here: every payload mutation declares the mapping,
a refusal fills `userErrors` and nulls the rest of the payload, and any other exception still
becomes a masked top-level error.
"""

from __future__ import annotations

import pytest
from strawberry.types.base import StrawberryObjectDefinition, get_object_definition

from flashmart.accounts import services as accounts
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.graphql.errors import UserErrorsExtension
from flashmart.graphql.schema import build_schema
from tests.backend.helpers import Api

REFRESH = """
mutation($token: String!) {
  tokenRefresh(refreshToken: $token) { accessToken refreshToken userErrors { field message code } }
}
"""


def test_every_mutation_with_user_errors_declares_the_mapping() -> None:
    schema = build_schema()
    mutation = schema.get_type_by_name("Mutation")
    assert isinstance(mutation, StrawberryObjectDefinition)
    missing, extra = [], []
    for field in mutation.fields:
        payload = get_object_definition(field.type)
        has_errors = payload is not None and any(
            f.python_name == "user_errors" for f in payload.fields
        )
        declared = any(isinstance(e, UserErrorsExtension) for e in field.extensions)
        if has_errors and not declared:
            missing.append(field.python_name)
        if declared and not has_errors:
            extra.append(field.python_name)
    assert (missing, extra) == ([], [])


async def test_a_refusal_fills_user_errors_and_nulls_the_rest(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusal = DomainError(ErrorCode.INVALID_STATE, "Not now", ("refreshToken", "part"))

    async def refuse(*args: object, **kwargs: object) -> None:
        raise DomainFailure(refusal, DomainError(ErrorCode.INVALID, "And not so"))

    monkeypatch.setattr(accounts, "refresh", refuse)
    body = await api.gql(REFRESH, {"token": "any"})
    assert body["data"] == {
        "tokenRefresh": {
            "accessToken": None,
            "refreshToken": None,
            "userErrors": [
                {
                    "field": ["refreshToken", "part"],
                    "message": "Not now",
                    "code": "INVALID_STATE",
                },
                {"field": None, "message": "And not so", "code": "INVALID"},
            ],
        }
    }


async def test_any_other_exception_stays_a_masked_top_level_error(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the secret detail")

    monkeypatch.setattr(accounts, "refresh", fail)
    response = await api.http.post("/graphql", json={"query": REFRESH, "variables": {"token": "x"}})
    body = response.json()
    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("Internal server error", "INTERNAL_SERVER_ERROR")
    ]
    assert "secret" not in response.text and "Traceback" not in response.text
