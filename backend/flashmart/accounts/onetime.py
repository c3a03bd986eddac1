"""One-time tokens mailed to users (email verification, password reset): random, stored as
SHA-256 only (`AccountToken`), expiring, used up by a conditional update."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from flashmart.accounts.models import AccountToken, TokenPurpose
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message

MAX_TOKEN_LENGTH = 128


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(*, user_id: int, purpose: TokenPurpose, ttl_seconds: int) -> str:
    """A new token for `user_id`; the user's earlier unused tokens of `purpose` stop working."""
    raw = secrets.token_urlsafe(32)
    async with in_transaction():
        await AccountToken.filter(user_id=user_id, purpose=purpose, used_at=None).delete()
        await AccountToken.create(
            user_id=user_id,
            purpose=purpose,
            token_hash=_digest(raw),
            expires_at=datetime.now(UTC) + timedelta(seconds=ttl_seconds),
        )
    return raw


async def find(
    token: str, purpose: TokenPurpose, *, invalid: DomainFailure, expired_message: Message
) -> AccountToken:
    """The unused token of an active user (its `user` fetched), else `invalid`; expired:
    `TOKEN_EXPIRED` with `expired_message`."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        raise invalid
    found = await AccountToken.get_or_none(token_hash=_digest(token), purpose=purpose)
    if found is not None:
        await found.fetch_related("user")
    if found is None or found.used_at is not None or not found.user.is_active:
        raise invalid
    if found.expires_at <= datetime.now(UTC):
        raise DomainFailure(DomainError(ErrorCode.TOKEN_EXPIRED, expired_message, ("token",)))
    return found


async def use_up(token: AccountToken, *, invalid: DomainFailure) -> None:
    """Mark `token` used, inside the caller's transaction. The conditional update is the lock:
    of two requests racing with one token, one wins and the other gets `invalid`."""
    if not await AccountToken.filter(id=token.id, used_at=None).update(used_at=datetime.now(UTC)):
        raise invalid
