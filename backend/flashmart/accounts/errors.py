"""Error codes of the accounts domain (members of the shared `ErrorCode`)."""

from flashmart.core.errors import ErrorCode

ACCOUNT_ERRORS = (
    ErrorCode.EMAIL_TAKEN,
    ErrorCode.INVALID_CREDENTIALS,
    ErrorCode.PASSWORD_TOO_SHORT,
    ErrorCode.PASSWORD_TOO_LONG,
    ErrorCode.PASSWORD_TOO_SIMILAR,
    ErrorCode.INVALID_TOKEN,
    ErrorCode.TOKEN_EXPIRED,
    ErrorCode.EMAIL_NOT_VERIFIED,
    ErrorCode.ACCOUNT_DISABLED,
)
