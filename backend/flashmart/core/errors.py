"""Error codes shared by every domain and the GraphQL layer.

Business outcomes are values (`DomainError` carried in a payload's `userErrors`); exceptions
derived from `ApiError` become top-level GraphQL errors with `extensions.code`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from flashmart.core.i18n import Message


class ErrorCode(Enum):
    """Every code a `UserError` can carry. Domains add theirs here so the API has one enum."""

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    INVALID_STATE = "INVALID_STATE"
    # accounts
    EMAIL_TAKEN = "EMAIL_TAKEN"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    PASSWORD_TOO_SHORT = "PASSWORD_TOO_SHORT"
    PASSWORD_TOO_LONG = "PASSWORD_TOO_LONG"
    PASSWORD_TOO_SIMILAR = "PASSWORD_TOO_SIMILAR"
    INVALID_TOKEN = "INVALID_TOKEN"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED"  # the right password of a deactivated account
    # catalog, cart, checkout
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE"
    CART_EMPTY = "CART_EMPTY"
    # seckill
    NOT_STARTED = "NOT_STARTED"
    ENDED = "ENDED"
    SOLD_OUT = "SOLD_OUT"
    ALREADY_PURCHASED = "ALREADY_PURCHASED"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    # seckill waiting rooms (docs/waiting-room.md)
    NOT_ADMITTED = "NOT_ADMITTED"
    NOT_IN_JOIN_WINDOW = "NOT_IN_JOIN_WINDOW"
    NOT_WAITING_ROOM = "NOT_WAITING_ROOM"
    # catalog uploads
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_FILE_TYPE = "UNSUPPORTED_FILE_TYPE"
    # catalog upkeep
    CATEGORY_NOT_EMPTY = "CATEGORY_NOT_EMPTY"
    # payments
    PAYMENT_PROVIDER_ERROR = "PAYMENT_PROVIDER_ERROR"
    # checkout and fulfilment: the order has no shipping address yet
    ADDRESS_REQUIRED = "ADDRESS_REQUIRED"
    # after-sales
    ALREADY_REQUESTED = "ALREADY_REQUESTED"  # the order has an open refund request


@dataclass(frozen=True)
class DomainError:
    """An expected business failure, reported to clients in `userErrors`."""

    code: ErrorCode
    message: Message  # `text(...)`: answered in the client's language (core/i18n.py)
    field: tuple[str, ...] | None = None


class DomainFailure(Exception):
    """Raised inside a service to abort a transaction with one or more `DomainError`s."""

    def __init__(self, *errors: DomainError) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


class TopLevelCode(Enum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    RATE_LIMITED = "RATE_LIMITED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"  # the query text is over MAX_QUERY_LENGTH
    BAD_USER_INPUT = "BAD_USER_INPUT"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"  # Redis or the database is down: retry later
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"  # GRAPHQL_INTROSPECTION=false
    # trusted documents (graphql/trusted_documents.py)
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"  # a documentId the manifest lacks
    TRUSTED_DOCUMENT_REQUIRED = "TRUSTED_DOCUMENT_REQUIRED"  # TRUSTED_DOCUMENTS_ONLY refused it
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


@dataclass
class ApiError(Exception):
    """An error that becomes a top-level GraphQL error with `extensions.code`."""

    message: str
    code: TopLevelCode
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": self.code.value, **self.extra}


def unauthenticated(message: str = "Authentication required") -> ApiError:
    return ApiError(message, TopLevelCode.UNAUTHENTICATED)


def forbidden(message: str = "You are not allowed to do this") -> ApiError:
    return ApiError(message, TopLevelCode.FORBIDDEN)


def _retry_seconds(retry_after: float) -> int:
    """`extensions.retryAfter`: whole seconds, at least one."""
    return max(1, int(retry_after + 0.999))


def rate_limited(retry_after: float) -> ApiError:
    seconds = _retry_seconds(retry_after)
    return ApiError(
        f"Too many requests; retry in {seconds} s",
        TopLevelCode.RATE_LIMITED,
        {"retryAfter": seconds},
    )


def unavailable_message(retry_after: int) -> str:
    """The one message of SERVICE_UNAVAILABLE, whatever met the outage."""
    return f"Service temporarily unavailable; retry in {retry_after} s"


def service_unavailable(retry_after: float) -> ApiError:
    """A dependency cannot serve this now; the client should retry after `retryAfter` s."""
    seconds = _retry_seconds(retry_after)
    return ApiError(
        unavailable_message(seconds), TopLevelCode.SERVICE_UNAVAILABLE, {"retryAfter": seconds}
    )


def bad_input(message: Message) -> ApiError:
    """BAD_USER_INPUT; `message` (`text(...)`) is answered in the client's language."""
    return ApiError(message, TopLevelCode.BAD_USER_INPUT)
