"""Turn GraphQL errors into the contract's shapes: every error gets `extensions.code`.

Expected errors (`ApiError`, validation, limits) keep their message (one our code wrote with
`text(...)`, such as a BAD_USER_INPUT, in the request's language: core/i18n.py); an outage of
Redis or the database (core/breaker.py: a breaker that is open, a connection refused or lost, a
timeout) is the retryable `SERVICE_UNAVAILABLE` with `retryAfter` seconds and a message that
names no internals; anything else is logged with the request id and reaches the client only as
`INTERNAL_SERVER_ERROR`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from graphql import GraphQLError
from strawberry.relay.types import GlobalIDValueError

from flashmart.core.breaker import DependencyUnavailable, is_database_outage, is_redis_outage
from flashmart.core.errors import ApiError, TopLevelCode, unavailable_message
from flashmart.core.i18n import Message, render
from flashmart.core.logging import request_id_var

logger = logging.getLogger("flashmart.graphql")

_TOO_COMPLEX = re.compile(
    r"exceeds maximum operation depth|aliases found\. Allowed|more than \d+ tokens", re.IGNORECASE
)
# Codes our own validation rules put on their errors (graphql/introspection.py).
_RULE_CODES = {TopLevelCode.INTROSPECTION_DISABLED.value}
INTERNAL_MESSAGE = "Internal server error"
# retryAfter of an outage met before any breaker judged it (arq's pool, the pub/sub client).
OUTAGE_RETRY_AFTER = 2


def outage_retry_after(exc: BaseException | None) -> int | None:
    """`retryAfter` seconds when `exc` is an outage of Redis or the database, else None."""
    if exc is None:
        return None
    if isinstance(exc, DependencyUnavailable):
        return exc.retry_after_seconds
    if is_redis_outage(exc) or is_database_outage(exc):
        return OUTAGE_RETRY_AFTER
    return None


def unavailable_error(retry_after: int) -> dict[str, Any]:
    """The top-level error of a request that met an outage outside execution."""
    return {
        "message": unavailable_message(retry_after),
        "extensions": {"code": TopLevelCode.SERVICE_UNAVAILABLE.value, "retryAfter": retry_after},
    }


def classify(error: GraphQLError) -> tuple[str, dict[str, Any]] | None:
    """(code, extra extensions) for an expected error; None when it is unexpected."""
    original = error.original_error
    retry_after = outage_retry_after(original)
    if retry_after is not None:
        return TopLevelCode.SERVICE_UNAVAILABLE.value, {"retryAfter": retry_after}
    if isinstance(original, ApiError):
        return original.code.value, dict(original.extra)
    if isinstance(original, GlobalIDValueError):
        return TopLevelCode.BAD_USER_INPUT.value, {}
    if original is None or isinstance(original, GraphQLError):
        if (error.extensions or {}).get("code") in _RULE_CODES:  # a rule that names its code
            return str((error.extensions or {})["code"]), {}
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
    original = error.original_error
    if isinstance(original, ApiError) and isinstance(original.message, Message):
        shaped["message"] = render(original.message)  # in the request's language
    if code == TopLevelCode.SERVICE_UNAVAILABLE.value:
        shaped["message"] = unavailable_message(extra["retryAfter"])  # not the driver's words
    return shaped


def retry_after_header(errors: list[dict[str, Any]]) -> str | None:
    """`Retry-After` for a response whose errors include SERVICE_UNAVAILABLE, else None."""
    waits = [
        int(e["extensions"]["retryAfter"])
        for e in errors
        if (e.get("extensions") or {}).get("code") == TopLevelCode.SERVICE_UNAVAILABLE.value
    ]
    return str(max(waits)) if waits else None


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if classify(error) is None:
            original = error.original_error
            logger.error(
                "unexpected error in %s",
                ".".join(str(p) for p in error.path or ()) or "operation",
                exc_info=(type(original), original, original.__traceback__) if original else None,
            )
