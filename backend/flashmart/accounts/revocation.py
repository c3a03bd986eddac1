"""The per-user "tokens valid after" stamp: access tokens issued before it are refused.

The database is the truth (`User.tokens_valid_after`, `User.is_active`); Redis caches it under
`Keys.user_tokens_valid_after(user_id)` so that checking a request costs one Redis GET and no
database query. The cached value is `inactive` for a deactivated user (every token refused)
or the stamp in unix seconds (`0` when there is none).

- Writers (password change, role change, deactivation) commit the database first, then SET the
  cache, overwriting whatever is there.
- A reader that misses (first request, key expired, Redis flushed) reads the database and fills
  the cache with SET NX, so a concurrent writer's newer value always wins.
- If Redis is unreachable the check falls back to the database for that request.

Each API process also keeps the stamps it read in memory (`StampCache` in core/stamps.py), so
that a request whose user was seen recently costs no Redis round trip at all (a flash-sale buy
is otherwise two round trips; docs/hotpath.md). The copy is only used while it cannot be stale:

- every writer, after its SET, drops the user's entry in its own process at once and PUBLISHes
  the user id on `Keys.token_stamps_channel`; every API process's broker hands that message
  synchronously to its cache, which drops the entry (other processes stop accepting a revoked
  token within the pub/sub delivery time);
- a read racing a change never stores the older value (a generation counter);
- while the pub/sub connection is down the copy is not used, and it is emptied when the
  connection comes back (messages may have been missed);
- entries also expire after `TOKEN_STAMP_CACHE_SECONDS` (0 turns the copy off).
"""

from __future__ import annotations

import logging

from redis.exceptions import RedisError

from flashmart.accounts.models import User
from flashmart.accounts.tokens import AccessClaims, InvalidToken, verified_tokens
from flashmart.core.redis import hot_get
from flashmart.core.runtime import Runtime
from flashmart.core.stamps import forget_in_process

logger = logging.getLogger("flashmart.accounts")

INACTIVE = b"inactive"
NO_STAMP = b"0"
# A miss costs one indexed query, so entries may come and go; the TTL also bounds how long a
# change made without Redis (`flashmart createadmin`) takes to reach the API.
CACHE_TTL_SECONDS = 300


def stamp_value(user: User) -> bytes:
    """The cache value that stands for `user`'s current state."""
    if not user.is_active:
        return INACTIVE
    if user.tokens_valid_after is None:
        return NO_STAMP
    return repr(user.tokens_valid_after.timestamp()).encode()


async def publish(runtime: Runtime, user: User) -> None:
    """Make `user`'s saved state effective for the very next request (call after the commit)."""
    key = runtime.keys.user_tokens_valid_after(user.id)
    await runtime.redis.set(key, stamp_value(user), ex=CACHE_TTL_SECONDS)
    forget_in_process(user.id)  # this process at once, the others through pub/sub
    try:
        await runtime.redis.publish(runtime.keys.token_stamps_channel, str(user.id))
    except RedisError:
        # Other processes then use their copy until it expires or their pub/sub reconnects.
        logger.warning("could not announce a token stamp change", exc_info=True)


async def _from_database(user_id: int) -> bytes:
    user = await User.filter(id=user_id).only("id", "is_active", "tokens_valid_after").first()
    # Users are deactivated, never deleted; a validly signed token for an id that is gone has
    # nothing to check against (test fixtures mint such tokens) and keeps its role claim.
    return stamp_value(user) if user is not None else NO_STAMP


async def _current_value(runtime: Runtime, user_id: int) -> bytes:
    stamps = runtime.stamps
    if stamps is not None:
        remembered = stamps.get(user_id)
        if remembered is not None:
            return remembered
        generation = stamps.generation
    value = await _read_value(runtime, user_id)
    if stamps is not None:
        stamps.put(user_id, value, generation=generation)
    return value


async def _read_value(runtime: Runtime, user_id: int) -> bytes:
    key = runtime.keys.user_tokens_valid_after(user_id)
    try:
        cached = await hot_get(runtime.redis, key)
    except RedisError:
        logger.warning("token stamp cache unavailable; checking the database", exc_info=True)
        return await _from_database(user_id)
    if cached is not None:
        return cached
    value = await _from_database(user_id)
    try:
        if not await runtime.redis.set(key, value, ex=CACHE_TTL_SECONDS, nx=True):
            newer: bytes | None = await runtime.redis.get(key)  # a writer got there first
            value = newer if newer is not None else value
    except RedisError:
        logger.warning("could not fill the token stamp cache", exc_info=True)
    return value


def accepts(value: bytes, claims: AccessClaims) -> bool:
    if value == INACTIVE:
        return False
    try:
        return claims.issued_at >= float(value)
    except ValueError:
        return False


async def verify_access_token(runtime: Runtime, token: str) -> AccessClaims:
    """The claims of a valid, unrevoked access token; `InvalidToken` otherwise."""
    claims = verified_tokens.decode(token, secret=runtime.settings.jwt_secret)
    if not accepts(await _current_value(runtime, claims.user_id), claims):
        raise InvalidToken("the token was revoked")
    return claims
