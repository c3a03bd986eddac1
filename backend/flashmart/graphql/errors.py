"""`UserError` and the error code enum shared by every mutation payload."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from flashmart.core.errors import DomainError
from flashmart.core.errors import ErrorCode as DomainErrorCode

ErrorCode = strawberry.enum(
    DomainErrorCode, name="ErrorCode", description="Why a mutation could not do what was asked."
)


@strawberry.type(description="An expected business failure of a mutation; nothing was changed.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the input field that caused the error, when one did."
    )
    message: str
    code: ErrorCode  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, error: DomainError) -> UserError:
        return cls(
            field=list(error.field) if error.field else None, message=error.message, code=error.code
        )

    @classmethod
    def many(cls, errors: Iterable[DomainError]) -> list[UserError]:
        return [cls.from_domain(e) for e in errors]
