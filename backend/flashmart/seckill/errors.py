"""Error codes of flash sales (members of the shared `ErrorCode`)."""

from flashmart.core.errors import ErrorCode
from flashmart.core.i18n import Message, text
from flashmart.seckill.store import ReserveCode

SECKILL_ERRORS = (
    ErrorCode.NOT_STARTED,
    ErrorCode.ENDED,
    ErrorCode.SOLD_OUT,
    ErrorCode.ALREADY_PURCHASED,
    ErrorCode.LIMIT_EXCEEDED,
    ErrorCode.EMAIL_NOT_VERIFIED,
    ErrorCode.NOT_ADMITTED,
    ErrorCode.NOT_IN_JOIN_WINDOW,
    ErrorCode.NOT_WAITING_ROOM,
)

# What each refusal of the reservation script means to a shopper.
REFUSALS: dict[ReserveCode, tuple[ErrorCode, Message]] = {
    ReserveCode.NOT_STARTED: (ErrorCode.NOT_STARTED, text("The sale has not started yet")),
    # Not loaded into Redis (yet, or again after Redis lost it): the warm-up cron loads it.
    ReserveCode.NOT_WARM: (ErrorCode.NOT_STARTED, text("The sale has not started yet")),
    ReserveCode.ENDED: (ErrorCode.ENDED, text("The sale has ended")),
    ReserveCode.SOLD_OUT: (ErrorCode.SOLD_OUT, text("Sold out")),
    ReserveCode.ALREADY_PURCHASED: (
        ErrorCode.ALREADY_PURCHASED,
        text("You already bought as many as this sale allows"),
    ),
    ReserveCode.LIMIT_EXCEEDED: (
        ErrorCode.LIMIT_EXCEEDED,
        text("That is more than this sale allows you"),
    ),
    ReserveCode.EMAIL_NOT_VERIFIED: (
        ErrorCode.EMAIL_NOT_VERIFIED,
        text("Verify your email address to take part in this sale"),
    ),
    ReserveCode.NOT_ADMITTED: (
        ErrorCode.NOT_ADMITTED,
        text("Wait for your turn in the waiting room (or it has passed: your admission expired)"),
    ),
}
