"""Email verification: a one-time link mailed to the user proves the address is theirs.

`send_verification` stores a new random token (SHA-256 only, valid EMAIL_VERIFICATION_TTL_SECONDS;
the user's earlier unused links stop working) and mails the link (core/mail.py). `verify_email`
uses a token up (a conditional update: of two requests racing with one token, one wins) and
sets `User.email_verified_at`. `resend_verification` is the shopper's "send it again",
EMAIL_VERIFICATION_RESEND_PER_HOUR times an hour.

Access tokens carry the state as the `ev` claim, read when they are issued: a token issued
before the verification still says false until the client refreshes it (`tokenRefresh`
issues one that says true). The storefront refreshes right after verifying; see docs/auth.md.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from flashmart.accounts import onetime
from flashmart.accounts.emails import verification_email
from flashmart.accounts.models import TokenPurpose, User
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode, service_unavailable
from flashmart.core.i18n import text
from flashmart.core.mail import MailNotSent, send_mail
from flashmart.core.ratelimit import Limit, RateLimiter
from flashmart.core.runtime import Runtime

logger = logging.getLogger("flashmart.accounts")

MAIL_RETRY_AFTER_SECONDS = 30  # retryAfter when the mail backend did not take the message


def _now() -> datetime:
    return datetime.now(UTC)


async def send_verification(runtime: Runtime, user: User) -> None:
    """Mail `user` a new verification link; earlier unused links stop working.

    Raises `MailNotSent` when the mail backend did not take the message (the token is kept:
    the user can ask again)."""
    raw = await onetime.issue(
        user_id=user.id,
        purpose=TokenPurpose.VERIFY_EMAIL,
        ttl_seconds=runtime.settings.email_verification_ttl_seconds,
    )
    await send_mail(runtime, verification_email(runtime.settings, to=user.email, token=raw))


async def after_sign_up(runtime: Runtime, user: User) -> None:
    """With EMAIL_VERIFICATION on, mail the new account its link. A mail backend that fails
    does not undo the sign-up: it is logged, and the shopper can ask for the link again."""
    if not runtime.settings.email_verification:
        return
    try:
        await send_verification(runtime, user)
    except MailNotSent:
        logger.warning("could not send the verification email of a new account", exc_info=True)


def _invalid() -> DomainFailure:
    return DomainFailure(
        DomainError(
            ErrorCode.INVALID_TOKEN,
            text("This verification link is not valid or was already used"),
            ("token",),
        )
    )


async def verify_email(*, token: str) -> User:
    """Use up a verification token and mark its user's email verified (`accountVerifyEmail`).

    Unknown, used or superseded tokens, and tokens of deactivated users: `INVALID_TOKEN`;
    expired ones: `TOKEN_EXPIRED`. Nothing changes on either."""
    found = await onetime.find(
        token,
        TokenPurpose.VERIFY_EMAIL,
        invalid=_invalid(),
        expired_message=text("This verification link has expired; ask for a new one"),
    )
    now = _now()
    async with in_transaction():
        await onetime.use_up(found, invalid=_invalid())
        await User.filter(id=found.user_id, email_verified_at=None).update(email_verified_at=now)
    return await User.get(id=found.user_id)


async def resend_verification(runtime: Runtime, *, user_id: int) -> None:
    """Mail the signed-in user a new link (`accountVerifyEmailResend`).

    Already verified: `INVALID_STATE`. More than EMAIL_VERIFICATION_RESEND_PER_HOUR an hour:
    the top-level `RATE_LIMITED` with `retryAfter`. A mail backend that fails: the top-level
    `SERVICE_UNAVAILABLE` (the attempt is given back)."""
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None:
        raise DomainFailure(DomainError(ErrorCode.NOT_FOUND, text("No such account")))
    if user.email_verified_at is not None:
        raise DomainFailure(
            DomainError(ErrorCode.INVALID_STATE, text("Your email address is already verified"))
        )
    s = runtime.settings
    bucket = (
        runtime.keys.rate_limit("verify-email", str(user.id)),
        Limit(s.email_verification_resend_per_hour, 3600),
    )
    limiter = RateLimiter(runtime.redis)
    await limiter.consume(bucket)
    try:
        await send_verification(runtime, user)
    except MailNotSent:
        logger.warning("could not send a verification email", exc_info=True)
        await limiter.refund(*bucket)
        # Not chained: the error mapping would take the socket error for a Redis or database
        # outage (and its retryAfter); the cause is in the log line above.
        raise service_unavailable(MAIL_RETRY_AFTER_SECONDS) from None
