"""`UserError`, the error code enum, and the one place a `DomainFailure` becomes `userErrors`.

A service refuses a business request by raising `DomainFailure`; the API reports it as values
in the payload's `userErrors`, never as a top-level error. `attempt` is where that happens:
the `UserErrorsExtension` of every payload mutation calls it around the resolver, and code that
answers outside a mutation resolver (the buy lane, a query that answers null) calls it directly,
so every `userErrors` entry is built the same way. Any other exception goes on unchanged and
becomes a top-level error (`error_mapping`).
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.types.base import get_object_definition, has_object_definition
from strawberry.types.field import StrawberryField

from flashmart.core.errors import DomainError, DomainFailure
from flashmart.core.errors import ErrorCode as DomainErrorCode
from flashmart.core.i18n import render
from flashmart.graphql.context import Info

T = TypeVar("T")

ErrorCode = strawberry.enum(
    DomainErrorCode, name="ErrorCode", description="Why a mutation could not do what was asked."
)


@strawberry.type(description="An expected business failure of a mutation; nothing was changed.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the input field that caused the error, when one did."
    )
    message: str
    code: DomainErrorCode  # the GraphQL enum `ErrorCode` above (`strawberry.enum` marks the class)

    @classmethod
    def from_domain(cls, error: DomainError, *, under: str | None = None) -> UserError:
        """`under` prefixes the field path with the argument the path lies in (e.g. `input`);
        the message is written in the request's language (core/i18n.py)."""
        path = (under, *error.field) if under and error.field else error.field
        return cls(
            field=list(path) if path else None, message=render(error.message), code=error.code
        )


@dataclass(frozen=True, slots=True)
class Refused:
    """A service's refusal, as the API reports it."""

    errors: list[UserError]


async def attempt(operation: Awaitable[T], *, under: str | None = None) -> T | Refused:
    """The service call's result, or its `DomainFailure` as `UserError`s."""
    try:
        return await operation
    except DomainFailure as failure:
        return Refused([UserError.from_domain(e, under=under) for e in failure.errors])


class UserErrorsExtension(FieldExtension):
    """Declared on a mutation whose payload has `userErrors`: its resolver returns the payload
    of success only; a `DomainFailure` becomes the payload with those `userErrors` and every
    other field null. `under` names the argument that the errors' field paths start in."""

    def __init__(self, *, under: str | None = None) -> None:
        self.under = under
        self.payload: type[Any] | None = None
        self.others: tuple[str, ...] = ()

    def apply(self, field: StrawberryField) -> None:
        payload = field.type
        if not (isinstance(payload, type) and has_object_definition(payload)):
            raise TypeError(f"{field.python_name}: {self!r} needs an object payload type")
        fields = get_object_definition(payload, strict=True).fields
        names = [f.python_name for f in fields if f.base_resolver is None]
        if "user_errors" not in names:
            raise TypeError(f"{field.python_name}: {payload.__name__} has no user_errors")
        self.payload = payload
        self.others = tuple(n for n in names if n != "user_errors")

    def _refused(self, refusal: Refused) -> Any:
        assert self.payload is not None  # set by `apply` when the schema is built
        return self.payload(**dict.fromkeys(self.others), user_errors=refusal.errors)

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        outcome = await attempt(next_(source, info, **kwargs), under=self.under)
        return self._refused(outcome) if isinstance(outcome, Refused) else outcome

    def __repr__(self) -> str:
        return f"UserErrorsExtension(under={self.under!r})"
