"""Error codes of the payments domain.

`PAYMENT_ERRORS` are the `userErrors` codes of payment operations (members of the shared
`ErrorCode`). `WebhookRejection` says why a provider notification was refused (HTTP 400).
"""

from __future__ import annotations

from enum import StrEnum

from flashmart.core.errors import ErrorCode

PAYMENT_ERRORS = (
    ErrorCode.NOT_FOUND,
    ErrorCode.INVALID_STATE,
    ErrorCode.PAYMENT_PROVIDER_ERROR,
    ErrorCode.ADDRESS_REQUIRED,
)


class WebhookRejection(StrEnum):
    MALFORMED = "MALFORMED"  # not the provider's format
    BAD_SIGNATURE = "BAD_SIGNATURE"  # missing, wrong secret, or the body changed after signing
    STALE = "STALE"  # timestamp older than the tolerance
    FROM_THE_FUTURE = "FROM_THE_FUTURE"  # timestamp too far ahead of our clock
    NONCE_REUSED = "NONCE_REUSED"  # a known nonce with a different body: a forgery or replay
    UNKNOWN_PAYMENT = "UNKNOWN_PAYMENT"


class WebhookRejected(Exception):
    """A notification we refuse; nothing was changed."""

    def __init__(self, reason: WebhookRejection, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason


class ProviderError(Exception):
    """The provider did not do what was asked (network failure, refusal)."""
