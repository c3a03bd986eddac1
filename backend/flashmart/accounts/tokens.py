"""Access tokens: short-lived JWTs, verified with a pinned algorithm, issuer and audience.

`iat` carries sub-second precision (RFC 7519 allows a non-integer NumericDate) so that a token
issued a moment after a password change is not mistaken for one issued before it; see
`flashmart.accounts.revocation`. The lifetime comes from `Settings.access_token_ttl_seconds`.

`ev` (true or false) says whether the user's email was verified when the token was issued: the
buy path reads it instead of the database (a sale may require a verified account; docs/auth.md).
A token issued before the verification says false until the client refreshes it.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import jwt

from flashmart.accounts.models import Role

ALGORITHM = "HS256"
ISSUER = "flashmart"
AUDIENCE = "flashmart-api"
ACCESS_TOKEN_TTL = timedelta(minutes=15)  # the default of Settings.access_token_ttl_seconds


class InvalidToken(Exception):
    pass


ADMIN = Role.ADMIN.value


class AccessClaims(NamedTuple):
    """A verified token's claims: plain values (the role by its name), so that `VerifiedTokens`
    can keep them as a plain tuple (see there)."""

    user_id: int
    role_name: str
    issued_at: float  # unix seconds, with microseconds
    expires_at: int
    token_id: str
    email_verified: bool = False  # the `ev` claim; absent (older tokens): false

    @property
    def role(self) -> Role:
        return Role(self.role_name)

    @property
    def is_admin(self) -> bool:
        return self.role_name == ADMIN


def issue_access_token(
    *,
    user_id: int,
    role: Role,
    secret: str,
    ttl: timedelta = ACCESS_TOKEN_TTL,
    email_verified: bool = False,
) -> str:
    now = datetime.now(UTC)
    payload = {
        "sub": str(user_id),
        "role": role.value,
        "ev": email_verified,
        "iat": now.timestamp(),
        "exp": int((now + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_access_token(token: str, *, secret: str) -> AccessClaims:
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["sub", "role", "exp", "iat", "jti", "iss", "aud"]},
        )
        return AccessClaims(
            user_id=int(payload["sub"]),
            role_name=Role(payload["role"]).value,
            issued_at=float(payload["iat"]),
            expires_at=int(payload["exp"]),
            token_id=str(payload["jti"]),
            email_verified=payload.get("ev") is True,
        )
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        raise InvalidToken(str(exc)) from exc


class VerifiedTokens:
    """Claims of tokens this process has already verified, until each one's `exp`.

    A signature check is a noticeable share of a flash-sale buy's CPU (docs/hotpath.md); a
    shopper sends the same token with every attempt. Only successful decodes are kept, each
    bound to the secret it was checked with; a hit is valid while `exp` lies ahead, exactly
    PyJWT's expiry test. Revocation is checked per request elsewhere (accounts/revocation.py).

    The claims are kept as a plain tuple, keyed by a plain tuple: the garbage collector
    untracks a tuple of plain values the first time it sees it (not a named tuple: CPython
    untracks exact tuples only), so the claims of thousands of shoppers who bought in a storm
    cost the collections after it nothing (core/gc_tuning.py).
    """

    def __init__(self, maxsize: int = 20_000) -> None:
        self.maxsize = maxsize
        self._claims: dict[tuple[str, str], tuple[Any, ...]] = {}

    def decode(self, token: str, *, secret: str) -> AccessClaims:
        key = (token, secret)
        found = self._claims.get(key)
        if found is not None:
            claims = AccessClaims._make(found)
            if claims.expires_at > time.time():
                return claims
            del self._claims[key]
        claims = decode_access_token(token, secret=secret)
        if len(self._claims) >= self.maxsize:
            del self._claims[next(iter(self._claims))]  # the oldest entry
        self._claims[key] = tuple(claims)
        return claims


verified_tokens = VerifiedTokens()


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
