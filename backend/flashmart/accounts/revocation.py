"""The per-user "tokens valid after" stamp: access tokens issued before it are refused.

The database is the truth (`User.tokens_valid_after`, `User.is_active`). Redis records the
revocations that still matter: under `Keys.user_tokens_valid_after(user_id)` the stamp of every
user whose tokens were revoked (password change, role change, deactivation) within the last
`stamp_lifetime`: `inactive` for a deactivated user (every token refused), else the stamp in
unix seconds. **No key means "not revoked"**, so checking a shopper costs one Redis round trip
and no database query, however long the shopper waited before buying.

- A stamp only has to outlive the access tokens issued before it: it expires
  `ACCESS_TOKEN_TTL_SECONDS + STAMP_MARGIN_SECONDS` after its own time (the margin covers clock
  skew and a sign-in that raced the change). A deactivated user gets no new token (sign-in and
  refresh refuse), so `inactive` need not live longer either.
- Writers (password change, role change, deactivation) commit the database first, then SET the
  stamp, overwriting whatever is there.
- The marker `Keys.token_stamps_complete` says "Redis holds every stamp that matters"; it is
  set by `sync_stamps` after writing them all, and lost with them when Redis loses its data
  (restart without AOF, failover to a replica that lagged, FLUSHALL). While it is missing, a
  check that finds no stamp asks the database (and writes the stamp back if it still
  matters): that is a Redis outage, not the steady buy path. Eviction would drop stamps and
  keep the marker, so Redis must run with `maxmemory-policy noeviction`.
- `sync_stamps` (a worker cron, accounts/jobs.py) writes the stamp of every user revoked within
  the lifetime from the database with stamp.lua, which never replaces a newer stamp (a writer
  racing the sync wins), announces the ones that changed, then sets the marker. So a Redis
  that lost its data, a stamp lost although the marker survived (the last second of AOF
  `everysec`, a writer whose SET failed) and a change made without Redis (`flashmart
  createadmin`) are all repaired within `TOKEN_STAMP_SYNC_INTERVAL_SECONDS`.
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
  connection comes back (messages may have been missed, or Redis restarted);
- entries also expire after `TOKEN_STAMP_CACHE_SECONDS` (0 turns the copy off).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from redis.exceptions import RedisError

from flashmart.accounts.models import User
from flashmart.accounts.tokens import AccessClaims, InvalidToken, verified_tokens
from flashmart.core.redis import hot_get_many
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.core.stamps import forget_in_process

logger = logging.getLogger("flashmart.accounts")

INACTIVE = b"inactive"
NO_STAMP = b"0"
# How long a stamp outlives the access tokens issued before it: clock skew between the API
# hosts and Redis, and a sign-in that checked the account just before a deactivation.
STAMP_MARGIN_SECONDS = 60
SCRIPT = Path(__file__).with_name("stamp.lua").read_text()
SYNC_BATCH = 500  # stamps written per pipelined round trip by `sync_stamps`
_FIELDS = ("id", "is_active", "tokens_valid_after")


def stamp_lifetime(settings: Settings) -> int:
    """Seconds a stamp stays in Redis after its own time."""
    return settings.access_token_ttl_seconds + STAMP_MARGIN_SECONDS


def stamp_value(user: User) -> bytes:
    """The cache value that stands for `user`'s current state."""
    if not user.is_active:
        return INACTIVE
    if user.tokens_valid_after is None:
        return NO_STAMP
    return repr(user.tokens_valid_after.timestamp()).encode()


def _expires_at_ms(user: User, settings: Settings) -> int:
    stamped = user.tokens_valid_after
    since = stamped.timestamp() if stamped is not None else time.time()
    return int((since + stamp_lifetime(settings)) * 1000)


def _still_matters(user: User, settings: Settings) -> bool:
    """Whether an access token issued before `user`'s stamp may still be unexpired."""
    stamped = user.tokens_valid_after is not None
    return stamped and _expires_at_ms(user, settings) > time.time() * 1000


async def _announce(runtime: Runtime, user_id: int) -> None:
    forget_in_process(user_id)  # this process at once, the others through pub/sub
    try:
        await runtime.redis.publish(runtime.keys.token_stamps_channel, str(user_id))
    except RedisError:
        # Other processes then use their copy until it expires or their pub/sub reconnects.
        logger.warning("could not announce a token stamp change", exc_info=True)


async def publish(runtime: Runtime, user: User) -> None:
    """Make `user`'s saved state effective for the very next request (call after the commit)."""
    key = runtime.keys.user_tokens_valid_after(user.id)
    expires = _expires_at_ms(user, runtime.settings)
    await runtime.redis.set(key, stamp_value(user), pxat=expires)
    await _announce(runtime, user.id)


async def _load(user_id: int) -> User | None:
    return await User.filter(id=user_id).only(*_FIELDS).first()


async def _from_database(user_id: int) -> bytes:
    user = await _load(user_id)
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
        stamp, complete = await hot_get_many(runtime.redis, key, runtime.keys.token_stamps_complete)
    except RedisError:
        logger.warning("token stamp cache unavailable; checking the database", exc_info=True)
        return await _from_database(user_id)
    if stamp is not None:
        return stamp
    if complete is not None:
        return NO_STAMP  # no revocation recorded: every shopper's steady path
    # Redis lost what it knew: the database answers until `sync_stamps` sets the marker again.
    user = await _load(user_id)
    if user is None:
        return NO_STAMP
    if _still_matters(user, runtime.settings):
        try:
            script = runtime.redis.register_script(SCRIPT)
            expires = _expires_at_ms(user, runtime.settings)
            await script(keys=[key], args=[stamp_value(user), expires])
        except RedisError:
            logger.warning("could not restore a token stamp", exc_info=True)
    return stamp_value(user)


async def sync_stamps(runtime: Runtime) -> int:
    """Write the stamp of every user revoked within `stamp_lifetime` from the database, then
    set the completeness marker; returns how many stamps changed (see the module docstring).

    A stamp Redis holds newer is kept (stamp.lua); a changed one is announced like a writer's.
    Users revoked longer ago need no stamp: every token issued before it has expired.
    """
    settings = runtime.settings
    since = datetime.now(UTC) - timedelta(seconds=stamp_lifetime(settings))
    users = [
        user
        for user in await User.filter(tokens_valid_after__gt=since).only(*_FIELDS)
        if _still_matters(user, settings)
    ]
    script = runtime.redis.register_script(SCRIPT)
    if users:  # a cluster's pipeline cannot load a script for itself: load it on every node
        await runtime.redis.script_load(SCRIPT)
    changed: list[int] = []
    for start in range(0, len(users), SYNC_BATCH):
        batch = users[start : start + SYNC_BATCH]
        async with runtime.redis.pipeline(transaction=False) as pipe:
            for user in batch:
                key = runtime.keys.user_tokens_valid_after(user.id)
                expires = _expires_at_ms(user, settings)
                await script(keys=[key], args=[stamp_value(user), expires], client=pipe)
            replies = await pipe.execute()
        changed += [user.id for user, wrote in zip(batch, replies, strict=True) if int(wrote)]
    for user_id in changed:
        await _announce(runtime, user_id)
    await runtime.redis.set(runtime.keys.token_stamps_complete, str(int(time.time())))
    return len(changed)


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
