"""Password reset: a one-time link mailed to the account's address lets its owner set a new
password without the old one.

`request_reset` answers the same whatever the email (no account, a deactivated one, or a mail
backend that failed: logged only), after taking a token from the client address's bucket and
the email's (PASSWORD_RESET_PER_IP_PER_HOUR, PASSWORD_RESET_PER_EMAIL_PER_HOUR; over either:
the top-level `RATE_LIMITED`, for any email alike). The link carries a random token stored as
SHA-256 only (`AccountToken`, purpose PASSWORD_RESET), valid PASSWORD_RESET_TTL_SECONDS; a
newer link replaces the older ones.

`confirm_reset` uses the token up (a conditional update: of two requests racing with one
token, one wins), sets the password and ends every session of the user, exactly like
`passwordChange`: refresh tokens revoked, access tokens refused (`tokens_valid_after` and the
Redis stamp, accounts/revocation.py).
"""

from __future__ import annotations

import logging

from flashmart.accounts import onetime
from flashmart.accounts.emails import password_reset_email
from flashmart.accounts.models import TokenPurpose, User
from flashmart.accounts.services import (
    _email_key,
    normalize_email,
    replace_password,
    validate_email,
    validate_password,
)
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import text
from flashmart.core.mail import MailNotSent, send_mail
from flashmart.core.ratelimit import Limit, RateLimiter, client_subject
from flashmart.core.runtime import Runtime

logger = logging.getLogger("flashmart.accounts")

HOUR = 3600


async def request_reset(runtime: Runtime, *, email: str, ip: str | None) -> None:
    """Mail a reset link to `email` if an active account has it (`passwordResetRequest`)."""
    s = runtime.settings
    email = normalize_email(email)
    buckets = [
        (
            runtime.keys.rate_limit("password-reset-email", _email_key(email)),
            Limit(s.password_reset_per_email_per_hour, HOUR),
        )
    ]
    if ip is not None:
        per_ip = Limit(s.password_reset_per_ip_per_hour, HOUR)
        buckets.insert(0, (runtime.keys.rate_limit("password-reset", client_subject(ip)), per_ip))
    await RateLimiter(runtime.redis).consume(*buckets)
    if validate_email(email):
        return
    user = await User.get_or_none(email=email, is_active=True)
    if user is None:
        return
    raw = await onetime.issue(
        user_id=user.id,
        purpose=TokenPurpose.PASSWORD_RESET,
        ttl_seconds=s.password_reset_ttl_seconds,
    )
    try:
        await send_mail(runtime, password_reset_email(s, to=user.email, token=raw))
    except MailNotSent:
        # Said to nobody: the answer must not tell whether the account exists.
        logger.warning("could not send a password reset email", exc_info=True)


def _invalid() -> DomainFailure:
    return DomainFailure(
        DomainError(
            ErrorCode.INVALID_TOKEN,
            text("This reset link is not valid or was already used; ask for a new one"),
            ("token",),
        )
    )


async def confirm_reset(runtime: Runtime, *, token: str, new_password: str) -> User:
    """Set a new password with a reset token (`passwordResetConfirm`).

    Unknown, used or replaced tokens and tokens of deactivated users: `INVALID_TOKEN`; expired
    ones: `TOKEN_EXPIRED`; a password that breaks the sign-up rules: its code on
    `newPassword` (the token stays usable). Nothing changes on any of them."""
    found = await onetime.find(
        token,
        TokenPurpose.PASSWORD_RESET,
        invalid=_invalid(),
        expired_message=text("This reset link has expired; ask for a new one"),
    )
    user = found.user
    errors = validate_password(new_password, email=user.email, field=("newPassword",))
    if errors:
        raise DomainFailure(*errors)

    async def use_up() -> None:
        await onetime.use_up(found, invalid=_invalid())

    await replace_password(runtime, user, new_password, first=use_up)
    return user
