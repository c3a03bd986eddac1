"""Error codes of after-sales (members of the shared `ErrorCode`)."""

from flashmart.core.errors import ErrorCode

AFTER_SALES_ERRORS = (
    ErrorCode.INVALID,
    ErrorCode.REQUIRED,
    ErrorCode.NOT_FOUND,
    ErrorCode.INVALID_STATE,
    ErrorCode.ALREADY_REQUESTED,
    ErrorCode.PAYMENT_PROVIDER_ERROR,
)
