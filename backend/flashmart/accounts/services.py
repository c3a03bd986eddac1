"""Account services: users, passwords, sessions (refresh tokens) and admin changes. No GraphQL.

Sessions: a login starts a *family* of refresh tokens. Each refresh uses up the presented token
and issues the next one in the family; presenting a used token again means it was copied, so
the whole family is revoked (theft detection). Tokens are random and stored as SHA-256 only.
See docs/auth.md for the client's view.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.accounts import revocation, verification
from flashmart.accounts.models import RefreshToken, Role, User
from flashmart.accounts.passwords import (
    DEFAULT_MEMORY_COST,
    DEFAULT_TIME_COST,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from flashmart.accounts.tokens import issue_access_token
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode, rate_limited
from flashmart.core.i18n import text
from flashmart.core.ratelimit import Backoff, Limit, RateLimiter, client_subject
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
MAX_EMAIL_LENGTH = 254
MAX_LOCAL_PART_LENGTH = 64
MAX_REFRESH_TOKEN_LENGTH = 128

# ASCII addresses only (no SMTPUTF8): full-width letters, invisible marks and look-alikes are
# refused rather than normalised into someone else's address.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    rf"@(?:{_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])",
    re.IGNORECASE,
)


# --- validation -------------------------------------------------------------------------------
def normalize_email(email: str) -> str:
    return email.strip().lower()


def validate_email(email: str) -> list[DomainError]:
    """Errors for a *normalised* email."""
    local = email.partition("@")[0]
    if (
        len(email) > MAX_EMAIL_LENGTH
        or len(local) > MAX_LOCAL_PART_LENGTH
        or not email.isascii()
        or _EMAIL.fullmatch(email) is None
    ):
        return [DomainError(ErrorCode.INVALID, text("Enter a valid email address"), ("email",))]
    return []


def validate_password(
    password: str, *, email: str, field: tuple[str, ...] = ("password",)
) -> list[DomainError]:
    """Errors for a new password of the account `email` (normalised)."""
    prepared = unicodedata.normalize("NFKC", password)
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in prepared):
        message = text("Password must not contain control characters")
        return [DomainError(ErrorCode.INVALID, message, field)]
    if len(prepared) < MIN_PASSWORD_LENGTH:
        message = text(
            "Password must have at least {minimum} characters", minimum=MIN_PASSWORD_LENGTH
        )
        return [DomainError(ErrorCode.PASSWORD_TOO_SHORT, message, field)]
    if len(prepared) > MAX_PASSWORD_LENGTH:
        message = text(
            "Password must have at most {maximum} characters", maximum=MAX_PASSWORD_LENGTH
        )
        return [DomainError(ErrorCode.PASSWORD_TOO_LONG, message, field)]
    folded = prepared.strip().casefold()
    if folded in (email, email.partition("@")[0]):
        message = text("Password must differ from the email")
        return [DomainError(ErrorCode.PASSWORD_TOO_SIMILAR, message, field)]
    return []


def validate_credentials(email: str, password: str) -> list[DomainError]:
    return validate_email(email) + validate_password(password, email=email)


def _verifiable(password: str) -> bool:
    """Whether a presented password could be hashed at all (length cap, encodable)."""
    return len(password) <= MAX_PASSWORD_LENGTH * 4 and not any(
        unicodedata.category(c) == "Cs" for c in password
    )


def _costs(settings: Settings | None) -> tuple[int, int]:
    if settings is None:
        return DEFAULT_TIME_COST, DEFAULT_MEMORY_COST
    return settings.password_hash_time_cost, settings.password_hash_memory_cost


async def _hash(password: str, settings: Settings | None) -> str:
    time_cost, memory_cost = _costs(settings)
    return await asyncio.to_thread(
        hash_password, password, time_cost=time_cost, memory_cost=memory_cost
    )


def _now() -> datetime:
    return datetime.now(UTC)


# --- users ------------------------------------------------------------------------------------
async def create_user(
    *,
    email: str,
    password: str,
    role: Role = Role.CUSTOMER,
    password_hash: str | None = None,
    settings: Settings | None = None,
    verified: bool = False,
) -> User:
    """Create a user or raise `DomainFailure`. `password_hash` lets bulk seeding reuse one hash;
    `settings` sets the hash cost (library defaults without it); `verified` creates the account
    with its email verified (administrators, demo accounts)."""
    email = normalize_email(email)
    errors = validate_credentials(email, password)
    if errors:
        raise DomainFailure(*errors)
    if password_hash is None:
        password_hash = await _hash(password, settings)
    try:
        return await User.create(
            email=email,
            password_hash=password_hash,
            role=role,
            email_verified_at=_now() if verified else None,
        )
    except IntegrityError as exc:
        raise _email_taken() from exc


def _email_taken() -> DomainFailure:
    return DomainFailure(
        DomainError(ErrorCode.EMAIL_TAKEN, text("This email is already registered"), ("email",))
    )


async def register(runtime: Runtime, *, email: str, password: str, ip: str | None) -> User:
    """A shopper signs up (`accountRegister`).

    Input is checked first (a typo costs nothing); then the sign-up takes a token from the
    client address's bucket (REGISTER_ATTEMPTS_PER_IP per REGISTER_ATTEMPTS_IP_WINDOW_SECONDS)
    and the shop's (REGISTER_ATTEMPTS_PER_MINUTE), or raises `RATE_LIMITED` before any password
    hashing. A taken email also uses up its token (and is refused before hashing too).
    """
    email = normalize_email(email)
    errors = validate_credentials(email, password)
    if errors:
        raise DomainFailure(*errors)
    s = runtime.settings
    buckets = [
        (runtime.keys.rate_limit("register", "shop"), Limit(s.register_attempts_per_minute, 60))
    ]
    if ip is not None:
        per_ip = Limit(s.register_attempts_per_ip, s.register_attempts_ip_window_seconds)
        buckets.insert(0, (runtime.keys.rate_limit("register", client_subject(ip)), per_ip))
    await RateLimiter(runtime.redis).consume(*buckets)
    if await User.filter(email=email).exists():
        raise _email_taken()
    user = await create_user(email=email, password=password, settings=s)
    await verification.after_sign_up(runtime, user)
    return user


async def ensure_admin(
    *, email: str, password: str, settings: Settings | None = None
) -> tuple[User, bool]:
    """Create the admin, or promote and re-password an existing account. Returns (user, created).

    The operator vouches for the address: the admin's email counts as verified."""
    email = normalize_email(email)
    existing = await User.get_or_none(email=email)
    if existing is None:
        user = await create_user(
            email=email, password=password, role=Role.ADMIN, settings=settings, verified=True
        )
        return user, True
    errors = validate_credentials(email, password)
    if errors:
        raise DomainFailure(*errors)
    existing.role = Role.ADMIN
    existing.is_active = True
    existing.email_verified_at = existing.email_verified_at or _now()
    if not await asyncio.to_thread(verify_password, existing.password_hash, password):
        existing.password_hash = await _hash(password, settings)
        existing.tokens_valid_after = _now()
        await RefreshToken.filter(user_id=existing.id, revoked_at=None).update(
            revoked_at=existing.tokens_valid_after
        )
    await existing.save()
    # No Redis here (the CLI may run without it): the worker's stamp sync brings a new stamp
    # to the API processes (revocation.sync_stamps, every TOKEN_STAMP_SYNC_INTERVAL_SECONDS).
    return existing, False


def search_users(
    *, search: str | None = None, role: Role | None = None, is_active: bool | None = None
) -> QuerySet[User]:
    """Users for the admin list, filtered; `search` matches part of the email."""
    queryset = User.all()
    if search:
        queryset = queryset.filter(email__icontains=search.strip())
    if role is not None:
        queryset = queryset.filter(role=role)
    if is_active is not None:
        queryset = queryset.filter(is_active=is_active)
    return queryset


async def update_user(
    runtime: Runtime,
    *,
    actor_id: int,
    user_id: int,
    role: Role | None = None,
    is_active: bool | None = None,
) -> User:
    """An admin changes a user's role or deactivates / reactivates them.

    Any change refuses the user's existing access tokens (their `role` claim may be stale);
    deactivation also revokes every refresh token.
    """
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise DomainFailure(DomainError(ErrorCode.NOT_FOUND, text("No such user"), ("id",)))
    new_role = role is not None and role != user.role
    new_state = is_active is not None and is_active != user.is_active
    if user.id == actor_id and (new_role or new_state):
        raise DomainFailure(
            DomainError(
                ErrorCode.INVALID_STATE,
                text("You cannot demote or deactivate your own account"),
                ("id",),
            )
        )
    if not (new_role or new_state):
        return user
    now = _now()
    user.role = role if role is not None else user.role
    user.is_active = is_active if is_active is not None else user.is_active
    user.tokens_valid_after = now
    async with in_transaction():
        await user.save(update_fields=["role", "is_active", "tokens_valid_after", "updated_at"])
        if not user.is_active:
            await RefreshToken.filter(user_id=user.id, revoked_at=None).update(revoked_at=now)
    await revocation.publish(runtime, user)
    return user


MAX_DISPLAY_NAME_LENGTH = 80
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,30}")


def _profile_errors(display_name: str | None, phone: str | None) -> list[DomainError]:
    errors: list[DomainError] = []
    if display_name is not None and (
        len(display_name) > MAX_DISPLAY_NAME_LENGTH
        or any(unicodedata.category(c).startswith("C") for c in display_name)
    ):
        message = text("At most {maximum} printable characters", maximum=MAX_DISPLAY_NAME_LENGTH)
        errors.append(DomainError(ErrorCode.INVALID, message, ("input", "displayName")))
    if phone and (
        len(phone) > 32 or _PHONE.fullmatch(phone) is None or sum(c.isdigit() for c in phone) < 5
    ):
        message = text("Enter a phone number: digits, spaces, dashes, brackets and a leading +")
        errors.append(DomainError(ErrorCode.INVALID, message, ("input", "phone")))
    return errors


async def update_profile(
    *, user_id: int, display_name: str | None = None, phone: str | None = None
) -> User:
    """The signed-in user's display name and phone (`accountUpdate`); None keeps a field, an
    empty string clears it."""
    name = unicodedata.normalize("NFC", display_name.strip()) if display_name is not None else None
    number = phone.strip() if phone is not None else None
    errors = _profile_errors(name, number)
    if errors:
        raise DomainFailure(*errors)
    changes: dict[str, object] = {}
    if name is not None:
        changes["display_name"] = name
    if number is not None:
        changes["phone"] = number
    if not await User.filter(id=user_id, is_active=True).update(updated_at=_now(), **changes):
        raise DomainFailure(DomainError(ErrorCode.NOT_FOUND, text("No such account")))
    return await User.get(id=user_id)


# --- sessions ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Session:
    user: User
    access_token: str
    refresh_token: str


def _digest(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def _email_key(email: str) -> str:
    """The name of a (normalised) email in rate-limit keys: a digest, so no address is stored."""
    return hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class _Admission:
    """A sign-in attempt let through the limits: what to give back or clear if it succeeds."""

    limiter: RateLimiter
    buckets: list[tuple[str, Limit]]  # tokens taken (the address's, the email's valve)
    record: str  # the (email, address) back-off record

    async def succeeded(self) -> None:
        for key, limit in self.buckets:
            await self.limiter.refund(key, limit)
        await self.limiter.clear(self.record)


async def _admit(runtime: Runtime, *, email: str, ip: str | None) -> _Admission:
    """Let a sign-in attempt for `email` from `ip` through, or raise `RATE_LIMITED` before any
    password hashing (docs/security.md "Accounts"):

    - the address's bucket: LOGIN_ATTEMPTS_PER_IP per LOGIN_ATTEMPTS_WINDOW_SECONDS;
    - the (email, address) back-off: LOGIN_BACKOFF_FREE_FAILURES at once, then doubling waits;
      failures at other addresses never count here, so they cannot lock the owner out;
    - the email's valve: once LOGIN_EMAIL_FAILURES failed within its window from all
      addresses, the back-off lets one attempt through instead (every address still gets one).

    Every attempt is counted as a failure until `succeeded` says otherwise, so concurrent
    attempts cannot slip past the counts.
    """
    s = runtime.settings
    keys = runtime.keys
    limiter = RateLimiter(runtime.redis)
    subject = client_subject(ip) if ip is not None else "-"
    email_key = _email_key(email)
    taken: list[tuple[str, Limit]] = []
    if ip is not None:
        per_ip = Limit(s.login_attempts_per_ip, s.login_attempts_window_seconds)
        bucket = (keys.login_attempts("ip", subject), per_ip)
        await limiter.consume(bucket)
        taken.append(bucket)
    valve = (
        keys.login_attempts("email", email_key),
        Limit(s.login_email_failures, s.login_email_failures_window_seconds),
    )
    calm = (await limiter.hit(*valve)).allowed
    if calm:
        taken.append(valve)
    record = keys.login_attempts("pair", f"{email_key}:{subject}")
    backoff = Backoff(
        free=s.login_backoff_free_failures if calm else 1,
        base_seconds=s.login_backoff_base_seconds,
        max_seconds=s.login_backoff_max_seconds,
        forget_seconds=s.login_backoff_forget_seconds,
    )
    decision = await limiter.attempt(record, backoff)
    if not decision.allowed:
        for key, limit in taken:
            await limiter.refund(key, limit)
        raise rate_limited(decision.retry_after)
    return _Admission(limiter=limiter, buckets=taken, record=record)


async def _start_session(
    runtime: Runtime, user: User, *, family: str | None = None, now: datetime | None = None
) -> Session:
    now = now or _now()
    raw = secrets.token_urlsafe(32)
    await RefreshToken.create(
        user=user,
        token_hash=_digest(raw),
        family=family or uuid.uuid4().hex,
        expires_at=now + timedelta(days=runtime.settings.refresh_token_ttl_days),
    )
    access = issue_access_token(
        user_id=user.id,
        role=user.role,
        secret=runtime.settings.jwt_secret,
        ttl=timedelta(seconds=runtime.settings.access_token_ttl_seconds),
        email_verified=user.email_verified_at is not None,
    )
    return Session(user=user, access_token=access, refresh_token=raw)


def _invalid_credentials() -> DomainFailure:
    return DomainFailure(
        DomainError(ErrorCode.INVALID_CREDENTIALS, text("Wrong email or password"))
    )


def _verify_or_pretend(password_hash: str | None, password: str, settings: Settings) -> bool:
    """Verify against the user's hash, or against a dummy one (same work) when there is none."""
    if password_hash is None:
        verify_password(dummy_hash(*_costs(settings)), password)
        return False
    return verify_password(password_hash, password)


async def login(runtime: Runtime, *, email: str, password: str, ip: str | None) -> Session:
    """Check credentials and start a session (`tokenCreate`).

    Unknown email and wrong password both answer `INVALID_CREDENTIALS` after the same amount
    of hashing work; the right password of a deactivated account answers `ACCOUNT_DISABLED`.
    Too many failures (`_admit`) raise `RATE_LIMITED` (top level, with `retryAfter`) before
    any hashing; a successful sign-in gives its attempt back and clears the failures of its
    (email, address).
    """
    email = normalize_email(email)
    admission = await _admit(runtime, email=email, ip=ip)
    if not _verifiable(password):
        raise _invalid_credentials()
    time_cost, memory_cost = _costs(runtime.settings)
    user = await User.get_or_none(email=email) if not validate_email(email) else None
    stored = user.password_hash if user is not None else None
    matches = await asyncio.to_thread(_verify_or_pretend, stored, password, runtime.settings)
    if user is None or not matches:
        raise _invalid_credentials()
    # A password change or deactivation may have committed while we were hashing.
    current = await User.get_or_none(id=user.id, password_hash=stored)
    if current is None:
        raise _invalid_credentials()
    if not current.is_active:
        # Told only to whoever knows the password: a guesser learns nothing new.
        raise DomainFailure(
            DomainError(
                ErrorCode.ACCOUNT_DISABLED,
                text("This account has been deactivated; contact support to restore it"),
            )
        )
    await admission.succeeded()
    if needs_rehash(user.password_hash, time_cost=time_cost, memory_cost=memory_cost):
        user.password_hash = await _hash(password, runtime.settings)
        await User.filter(id=user.id).update(password_hash=user.password_hash)
    return await _start_session(runtime, user)


async def _find_refresh_token(raw: str) -> RefreshToken | None:
    if not raw or len(raw) > MAX_REFRESH_TOKEN_LENGTH or not raw.isascii():
        return None
    return await RefreshToken.get_or_none(token_hash=_digest(raw)).select_related("user")


async def _revoke_family(family: str, now: datetime) -> None:
    await RefreshToken.filter(family=family, revoked_at=None).update(revoked_at=now)


def _invalid_refresh_token() -> DomainFailure:
    return DomainFailure(
        DomainError(
            ErrorCode.INVALID_TOKEN,
            text("The refresh token is invalid or expired"),
            ("refreshToken",),
        )
    )


async def refresh(runtime: Runtime, *, refresh_token: str) -> Session:
    """Use up a refresh token for a new access token and the next refresh token (`tokenRefresh`).

    A token used a second time revokes its whole family, including the newest token.
    """
    now = _now()
    token = await _find_refresh_token(refresh_token)
    if token is None or token.expires_at <= now:
        raise _invalid_refresh_token()
    user = token.user
    family_revoked = await RefreshToken.filter(
        family=token.family, revoked_at__isnull=False
    ).exists()
    if token.used_at is not None or family_revoked or not user.is_active:
        await _revoke_family(token.family, now)
        raise _invalid_refresh_token()
    async with in_transaction():
        # The conditional update is the lock: of two requests racing with one token, one wins.
        claimed = await RefreshToken.filter(id=token.id, used_at=None, revoked_at=None).update(
            used_at=now
        )
        session = (
            await _start_session(runtime, user, family=token.family, now=now) if claimed else None
        )
    if session is None:
        await _revoke_family(token.family, now)
        raise _invalid_refresh_token()
    return session


async def revoke(*, refresh_token: str) -> None:
    """Log out: revoke the session (family) the refresh token belongs to (`tokenRevoke`)."""
    token = await _find_refresh_token(refresh_token)
    if token is None:
        raise _invalid_refresh_token()
    await _revoke_family(token.family, _now())


async def change_password(
    runtime: Runtime, *, user_id: int, old_password: str, new_password: str, ip: str | None
) -> None:
    """Set a new password; every session and access token of the user ends (`passwordChange`).

    Wrong old passwords count against the same limits as sign-ins for the user's email at `ip`.
    """
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None:
        raise _invalid_credentials()
    admission = await _admit(runtime, email=user.email, ip=ip)
    errors = validate_password(new_password, email=user.email, field=("newPassword",))
    old_ok = _verifiable(old_password) and await asyncio.to_thread(
        verify_password, user.password_hash, old_password
    )
    if not old_ok:
        wrong = DomainError(
            ErrorCode.INVALID_CREDENTIALS, text("The current password is wrong"), ("oldPassword",)
        )
        raise DomainFailure(wrong, *errors)
    await admission.succeeded()
    if errors:
        raise DomainFailure(*errors)
    await replace_password(runtime, user, new_password)


async def replace_password(
    runtime: Runtime,
    user: User,
    new_password: str,
    *,
    first: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Store a new password and end every session and access token of `user`. `first` runs
    at the start of the same transaction (a password reset uses its token up there; raising
    changes nothing)."""
    password_hash = await _hash(new_password, runtime.settings)
    now = _now()
    async with in_transaction():
        if first is not None:
            await first()
        await User.filter(id=user.id).update(password_hash=password_hash, tokens_valid_after=now)
        await RefreshToken.filter(user_id=user.id, revoked_at=None).update(revoked_at=now)
    user.password_hash = password_hash
    user.tokens_valid_after = now
    await revocation.publish(runtime, user)
