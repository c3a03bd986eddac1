"""Turn GraphQL errors into the contract's shapes: every error gets `extensions.code`.

Expected errors (`ApiError`, validation, limits) keep their message; anything else is logged
with the request id and reaches the client only as `INTERNAL_SERVER_ERROR`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from graphql import GraphQLError
from strawberry.relay.types import GlobalIDValueError

from flashmart.core.errors import ApiError, TopLevelCode
from flashmart.core.logging import request_id_var

logger = logging.getLogger("flashmart.graphql")

_TOO_COMPLEX = re.compile(
    r"exceeds maximum operation depth|aliases found\. Allowed|more than \d+ tokens", re.IGNORECASE
)
INTERNAL_MESSAGE = "Internal server error"


def classify(error: GraphQLError) -> tuple[str, dict[str, Any]] | None:
    """(code, extra extensions) for an expected error; None when it is unexpected."""
    original = error.original_error
    if isinstance(original, ApiError):
        return original.code.value, dict(original.extra)
    if isinstance(original, GlobalIDValueError):
        return TopLevelCode.BAD_USER_INPUT.value, {}
    if original is None or isinstance(original, GraphQLError):
        if _TOO_COMPLEX.search(error.message):
            return TopLevelCode.QUERY_TOO_COMPLEX.value, {}
        return TopLevelCode.BAD_USER_INPUT.value, {}
    return None


def format_error(error: GraphQLError) -> dict[str, Any]:
    known = classify(error)
    if known is None:
        request_id = request_id_var.get()
        formatted: dict[str, Any] = {
            "message": INTERNAL_MESSAGE,
            "extensions": {"code": TopLevelCode.INTERNAL_SERVER_ERROR.value},
        }
        if request_id:
            formatted["extensions"]["requestId"] = request_id
        if error.path:
            formatted["path"] = error.path
        return formatted
    code, extra = known
    shaped: dict[str, Any] = dict(error.formatted)
    shaped["extensions"] = {**(shaped.get("extensions") or {}), **extra, "code": code}
    return shaped


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if classify(error) is None:
            original = error.original_error
            logger.error(
                "unexpected error in %s",
                ".".join(str(p) for p in error.path or ()) or "operation",
                exc_info=(type(original), original, original.__traceback__) if original else None,
            )
