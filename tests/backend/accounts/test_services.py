"""Account services called directly: validation, sessions, revocation, admin changes."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from flashmart.accounts import passwords, revocation
from flashmart.accounts import services as accounts
from flashmart.accounts.models import RefreshToken, Role, User
from flashmart.accounts.tokens import InvalidToken, issue_access_token
from flashmart.core import embedded_redis
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from tests.backend.helpers import TEST_PASSWORD, fast_hashing


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast_hashing(settings)  # type: ignore[no-any-return]


def codes(failure: pytest.ExceptionInfo[DomainFailure]) -> list[ErrorCode]:
    return [e.code for e in failure.value.errors]


async def make_user(runtime: Runtime, email: str = "ada@example.com", **kwargs: Any) -> User:
    return await accounts.create_user(
        email=email, password=TEST_PASSWORD, settings=runtime.settings, **kwargs
    )


# --- validation -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "email",
    [
        "ada@example.com",
        "ada.lovelace+shop@mail.example.co.uk",
        "o'brien@example.ie",
        "x@xn--80ak6aa92e.com",
        "a_b-c@sub-domain.example.org",
    ],
)
def test_valid_emails(email: str) -> None:
    assert accounts.validate_email(email) == []


@pytest.mark.parametrize(
    "email",
    [
        "",
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "ada@@example.com",
        "ada@.example.com",
        "ada@example..com",
        "ada@example.com.",
        ".ada@example.com",
        "ada.@example.com",
        "a..da@example.com",
        "ada lovelace@example.com",
        "ada@-example.com",
        "ada@example.123",
        "\uff45xample@\uff45xample.com",  # full-width
        "ada\u200f@example.com",  # right-to-left mark
        "ada\u202e@example.com",  # right-to-left override
        "ada\x00@example.com",  # NUL
        "ada\u200b@example.com",  # zero-width space
        "🦄@example.com",
        "ada@ex\u0430mple.com",  # Cyrillic a
        "a" * 65 + "@example.com",
        "ada@" + "a" * 250 + ".com",
    ],
)
def test_invalid_emails(email: str) -> None:
    assert [e.code for e in accounts.validate_email(accounts.normalize_email(email))] == [
        ErrorCode.INVALID
    ]


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short", ErrorCode.PASSWORD_TOO_SHORT),
        ("x" * 129, ErrorCode.PASSWORD_TOO_LONG),
        ("x" * 10_240, ErrorCode.PASSWORD_TOO_LONG),
        ("adalovelace@example.com", ErrorCode.PASSWORD_TOO_SIMILAR),
        ("ADALovelace@EXAMPLE.COM ", ErrorCode.PASSWORD_TOO_SIMILAR),
        ("adalovelace", ErrorCode.PASSWORD_TOO_SIMILAR),
        ("pass\x00word-long", ErrorCode.INVALID),
        ("pass\ud800word-long", ErrorCode.INVALID),  # lone surrogate: cannot be encoded
        ("🦄🦄🦄🦄", ErrorCode.PASSWORD_TOO_SHORT),
    ],
)
def test_password_rules(password: str, code: ErrorCode) -> None:
    errors = accounts.validate_password(password, email="adalovelace@example.com")
    assert [e.code for e in errors] == [code]
    assert errors[0].field == ("password",)


@pytest.mark.parametrize(
    "password",
    [
        "🦄🦄🦄🦄🦄🦄🦄🦄",
        "pässwörd-ñ",
        "\u05e9\u05dc\u05d5\u05dd-\u05e2\u05d5\u05dc\u05dd",
    ],
)
def test_unicode_passwords_are_allowed(password: str) -> None:
    assert accounts.validate_password(password, email="ada@example.com") == []


# --- users ------------------------------------------------------------------------------------
async def test_register_normalises_email_and_uses_the_configured_hash_cost(
    runtime: Runtime,
) -> None:
    user = await accounts.register(
        runtime, email="  Ada@Example.COM ", password=TEST_PASSWORD, ip="203.0.113.9"
    )
    assert user.email == "ada@example.com"
    assert user.role is Role.CUSTOMER
    assert "$m=8,t=1,p=1$" in user.password_hash
    assert passwords.verify_password(user.password_hash, TEST_PASSWORD)


async def test_duplicate_email_differing_in_case_is_taken(runtime: Runtime) -> None:
    await make_user(runtime, "ada@example.com")
    with pytest.raises(DomainFailure) as failure:
        await make_user(runtime, "ADA@example.com")
    assert codes(failure) == [ErrorCode.EMAIL_TAKEN]
    assert await User.all().count() == 1


async def test_invalid_registration_writes_nothing(runtime: Runtime) -> None:
    with pytest.raises(DomainFailure) as failure:
        await accounts.register(runtime, email="nope", password="short", ip="203.0.113.9")
    assert codes(failure) == [ErrorCode.INVALID, ErrorCode.PASSWORD_TOO_SHORT]
    assert await User.all().count() == 0


async def test_passwords_are_nfkc_normalised(runtime: Runtime) -> None:
    composed = "caf\u00e9-au-lait"
    decomposed = "cafe\u0301-au-lait"
    await accounts.create_user(
        email="ada@example.com", password=composed, settings=runtime.settings
    )
    session = await accounts.login(runtime, email="ada@example.com", password=decomposed, ip=None)
    assert session.user.email == "ada@example.com"


async def test_ensure_admin_creates_then_promotes_and_repasswords(runtime: Runtime) -> None:
    admin, created = await accounts.ensure_admin(email="Boss@Example.com", password=TEST_PASSWORD)
    assert created and admin.role is Role.ADMIN and admin.email == "boss@example.com"
    shopper = await make_user(runtime, "shopper@example.com")
    await accounts.login(runtime, email="shopper@example.com", password=TEST_PASSWORD, ip=None)
    await accounts.update_user(runtime, actor_id=admin.id, user_id=shopper.id, is_active=False)
    promoted, created = await accounts.ensure_admin(
        email="shopper@example.com", password="a brand new password"
    )
    assert not created
    assert (promoted.role, promoted.is_active) == (Role.ADMIN, True)
    assert passwords.verify_password(promoted.password_hash, "a brand new password")
    assert await RefreshToken.filter(user_id=shopper.id, revoked_at=None).count() == 0
    with pytest.raises(DomainFailure):
        await accounts.ensure_admin(email="boss@example.com", password="short")


async def test_search_users_filters(runtime: Runtime) -> None:
    await make_user(runtime, "ada@example.com")
    await make_user(runtime, "bob@example.org", role=Role.ADMIN)
    carol = await make_user(runtime, "carol@example.org")
    carol.is_active = False
    await carol.save()

    def emails(users: list[User]) -> list[str]:
        return sorted(u.email for u in users)

    assert emails(await accounts.search_users(search="EXAMPLE.org")) == [
        "bob@example.org",
        "carol@example.org",
    ]
    assert emails(await accounts.search_users(role=Role.ADMIN)) == ["bob@example.org"]
    assert emails(await accounts.search_users(is_active=False)) == ["carol@example.org"]
    assert emails(await accounts.search_users(search="%")) == []  # LIKE wildcards are literal


# --- login ------------------------------------------------------------------------------------
async def test_login_starts_a_session(runtime: Runtime) -> None:
    user = await make_user(runtime)
    session = await accounts.login(
        runtime, email=" ADA@example.com", password=TEST_PASSWORD, ip="1.2.3.4"
    )
    assert session.user.id == user.id
    claims = await revocation.verify_access_token(runtime, session.access_token)
    assert (claims.user_id, claims.role) == (user.id, Role.CUSTOMER)
    assert claims.expires_at - claims.issued_at == pytest.approx(
        runtime.settings.access_token_ttl_seconds, abs=1
    )
    stored = await RefreshToken.get(user_id=user.id)
    assert stored.token_hash != session.refresh_token and len(stored.token_hash) == 64
    expected_expiry = datetime.now(UTC) + timedelta(days=runtime.settings.refresh_token_ttl_days)
    assert abs((stored.expires_at - expected_expiry).total_seconds()) < 60


async def test_unknown_email_and_wrong_password_look_the_same(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(runtime)
    verified: list[str] = []
    real_verify = passwords.verify_password

    def counting_verify(password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", counting_verify)
    failures = []
    for email, password in [
        ("ada@example.com", "wrong password"),
        ("nobody@example.com", TEST_PASSWORD),
        ("not an email", TEST_PASSWORD),
    ]:
        with pytest.raises(DomainFailure) as failure:
            await accounts.login(runtime, email=email, password=password, ip=None)
        failures.append(failure.value.errors)
    assert failures[0] == failures[1] == failures[2]
    assert failures[0][0].code is ErrorCode.INVALID_CREDENTIALS
    assert len(verified) == 3  # unknown emails are checked against a dummy hash, same cost
    assert "$m=8,t=1,p=1$" in verified[1]


async def test_deactivated_user_cannot_log_in_and_is_told_so_after_the_password(
    runtime: Runtime,
) -> None:
    user = await make_user(runtime)
    await User.filter(id=user.id).update(is_active=False)
    with pytest.raises(DomainFailure) as failure:
        await accounts.login(runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None)
    assert codes(failure) == [ErrorCode.ACCOUNT_DISABLED]
    with pytest.raises(DomainFailure) as failure:
        await accounts.login(runtime, email="ada@example.com", password="wrong guess", ip=None)
    assert codes(failure) == [ErrorCode.INVALID_CREDENTIALS]
    assert await RefreshToken.filter(user_id=user.id).count() == 0


async def test_login_upgrades_an_outdated_hash(runtime: Runtime) -> None:
    old = passwords.hash_password(TEST_PASSWORD, time_cost=2, memory_cost=16)
    user = await accounts.create_user(
        email="ada@example.com", password=TEST_PASSWORD, password_hash=old
    )
    await accounts.login(runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None)
    await user.refresh_from_db()
    assert "$m=8,t=1,p=1$" in user.password_hash


# --- refresh tokens ---------------------------------------------------------------------------
async def test_refresh_rotates_and_reuse_revokes_the_family(runtime: Runtime) -> None:
    await make_user(runtime)
    first = await accounts.login(runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None)
    other = await accounts.login(runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None)
    second = await accounts.refresh(runtime, refresh_token=first.refresh_token)
    assert second.refresh_token != first.refresh_token
    third = await accounts.refresh(runtime, refresh_token=second.refresh_token)
    with pytest.raises(DomainFailure) as reused:
        await accounts.refresh(runtime, refresh_token=first.refresh_token)
    assert codes(reused) == [ErrorCode.INVALID_TOKEN]
    with pytest.raises(DomainFailure):  # the newest token of the family is revoked too
        await accounts.refresh(runtime, refresh_token=third.refresh_token)
    family = (await RefreshToken.get(token_hash=accounts._digest(first.refresh_token))).family
    assert await RefreshToken.filter(family=family, revoked_at=None).count() == 0
    # another sign-in (another family) is untouched
    assert (await accounts.refresh(runtime, refresh_token=other.refresh_token)).access_token


async def test_concurrent_refreshes_with_one_token_let_at_most_one_through(
    runtime: Runtime,
) -> None:
    await make_user(runtime)
    session = await accounts.login(
        runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None
    )
    results = await asyncio.gather(
        *(accounts.refresh(runtime, refresh_token=session.refresh_token) for _ in range(5)),
        return_exceptions=True,
    )
    assert sum(isinstance(r, accounts.Session) for r in results) <= 1
    assert all(isinstance(r, (accounts.Session, DomainFailure)) for r in results)


@pytest.mark.parametrize("token", ["", "nope", "x" * 10_000, "tök\ud800en", "a\x00b"])
async def test_garbage_refresh_tokens_are_invalid(runtime: Runtime, token: str) -> None:
    with pytest.raises(DomainFailure) as failure:
        await accounts.refresh(runtime, refresh_token=token)
    assert codes(failure) == [ErrorCode.INVALID_TOKEN]


async def test_expired_refresh_token_is_invalid(runtime: Runtime) -> None:
    user = await make_user(runtime)
    session = await accounts.login(
        runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None
    )
    await RefreshToken.filter(user_id=user.id).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    with pytest.raises(DomainFailure):
        await accounts.refresh(runtime, refresh_token=session.refresh_token)


async def test_revoke_ends_the_session(runtime: Runtime) -> None:
    await make_user(runtime)
    session = await accounts.login(
        runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None
    )
    await accounts.revoke(refresh_token=session.refresh_token)
    with pytest.raises(DomainFailure):
        await accounts.refresh(runtime, refresh_token=session.refresh_token)
    await accounts.revoke(refresh_token=session.refresh_token)  # twice is fine
    with pytest.raises(DomainFailure):
        await accounts.revoke(refresh_token="unknown")


# --- password change and revocation -----------------------------------------------------------
async def test_password_change_ends_every_session(runtime: Runtime) -> None:
    user = await make_user(runtime)
    session = await accounts.login(
        runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None
    )
    await accounts.change_password(
        runtime,
        user_id=user.id,
        old_password=TEST_PASSWORD,
        new_password="a brand new password",
        ip=None,
    )
    with pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, session.access_token)
    with pytest.raises(DomainFailure):
        await accounts.refresh(runtime, refresh_token=session.refresh_token)
    fresh = await accounts.login(
        runtime, email="ada@example.com", password="a brand new password", ip=None
    )
    await revocation.verify_access_token(runtime, fresh.access_token)  # at once, same second
    await user.refresh_from_db()
    assert user.tokens_valid_after is not None


async def test_password_change_reports_every_problem(runtime: Runtime) -> None:
    user = await make_user(runtime)
    with pytest.raises(DomainFailure) as failure:
        await accounts.change_password(
            runtime, user_id=user.id, old_password="wrong", new_password="short", ip=None
        )
    assert [(e.code, e.field) for e in failure.value.errors] == [
        (ErrorCode.INVALID_CREDENTIALS, ("oldPassword",)),
        (ErrorCode.PASSWORD_TOO_SHORT, ("newPassword",)),
    ]
    await user.refresh_from_db()
    assert passwords.verify_password(user.password_hash, TEST_PASSWORD)


async def test_deactivation_revokes_at_once_and_survives_a_cache_loss(
    runtime: Runtime,
) -> None:
    admin = await make_user(runtime, "boss@example.com", role=Role.ADMIN)
    user = await make_user(runtime)
    session = await accounts.login(
        runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None
    )
    await revocation.verify_access_token(runtime, session.access_token)
    await accounts.update_user(runtime, actor_id=admin.id, user_id=user.id, is_active=False)
    key = runtime.keys.user_tokens_valid_after(user.id)
    assert await runtime.redis.get(key) == revocation.INACTIVE
    with pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, session.access_token)
    assert await RefreshToken.filter(user_id=user.id, revoked_at=None).count() == 0
    # Redis lost its data (the stamp and the marker that says it holds every stamp): the
    # database still knows.
    await runtime.redis.delete(key, runtime.keys.token_stamps_complete)
    with pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, session.access_token)
    assert await runtime.redis.get(key) == revocation.INACTIVE  # and the cache is filled again
    assert 0 < await runtime.redis.ttl(key) <= revocation.stamp_lifetime(runtime.settings)
    # reactivated: old tokens stay dead, a new sign-in works
    await accounts.update_user(runtime, actor_id=admin.id, user_id=user.id, is_active=True)
    with pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, session.access_token)
    fresh = await accounts.login(runtime, email="ada@example.com", password=TEST_PASSWORD, ip=None)
    await revocation.verify_access_token(runtime, fresh.access_token)


async def test_role_change_refuses_tokens_with_the_old_role(runtime: Runtime) -> None:
    boss = await make_user(runtime, "boss@example.com", role=Role.ADMIN)
    deputy = await make_user(runtime, "deputy@example.com", role=Role.ADMIN)
    session = await accounts.login(
        runtime, email="deputy@example.com", password=TEST_PASSWORD, ip=None
    )
    updated = await accounts.update_user(
        runtime, actor_id=boss.id, user_id=deputy.id, role=Role.CUSTOMER
    )
    assert updated.role is Role.CUSTOMER
    with pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, session.access_token)
    refreshed = await accounts.refresh(runtime, refresh_token=session.refresh_token)
    claims = await revocation.verify_access_token(runtime, refreshed.access_token)
    assert claims.role is Role.CUSTOMER


async def test_admins_cannot_lock_themselves_out(runtime: Runtime) -> None:
    boss = await make_user(runtime, "boss@example.com", role=Role.ADMIN)
    for change in ({"is_active": False}, {"role": Role.CUSTOMER}):
        with pytest.raises(DomainFailure) as failure:
            await accounts.update_user(runtime, actor_id=boss.id, user_id=boss.id, **change)
        assert codes(failure) == [ErrorCode.INVALID_STATE]
    same = await accounts.update_user(runtime, actor_id=boss.id, user_id=boss.id, role=Role.ADMIN)
    assert same.role is Role.ADMIN
    with pytest.raises(DomainFailure) as failure:
        await accounts.update_user(runtime, actor_id=boss.id, user_id=999_999, is_active=False)
    assert codes(failure) == [ErrorCode.NOT_FOUND]


async def test_stamp_check_falls_back_to_the_database_when_redis_is_down(
    runtime: Runtime, tmp_path: Path
) -> None:
    admin = await make_user(runtime, "boss@example.com", role=Role.ADMIN)
    user = await make_user(runtime)
    token = issue_access_token(
        user_id=user.id, role=Role.CUSTOMER, secret=runtime.settings.jwt_secret
    )
    await accounts.update_user(runtime, actor_id=admin.id, user_id=user.id, is_active=False)
    server = embedded_redis.start(tmp_path, reuse=False)
    dead = Redis.from_url(server.url)
    server.stop()
    try:
        offline = dataclasses.replace(runtime, redis=dead)
        with pytest.raises(InvalidToken):
            await revocation.verify_access_token(offline, token)
        admin_token = issue_access_token(
            user_id=admin.id, role=Role.ADMIN, secret=runtime.settings.jwt_secret
        )
        assert (await revocation.verify_access_token(offline, admin_token)).user_id == admin.id
    finally:
        await dead.aclose()
