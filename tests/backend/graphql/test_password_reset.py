"""Password reset over HTTP: the same answer for any email, the mailed one-time link, expiry,
reuse, other users' tokens, sessions ending, the limits; profiles; deactivated sign-ins."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from flashmart.accounts.models import AccountToken, Role, TokenPurpose, User
from flashmart.core.settings import Settings
from tests.backend.helpers import LOGIN, TEST_PASSWORD, Api, error_code, fast_hashing, sign_up

MAILBOX = """
query Mailbox($to: String) { devMailbox(first: 10, to: $to) { to subject text } }
"""
REQUEST = """
mutation Request($email: String!) {
  passwordResetRequest(email: $email) { userErrors { field message code } }
}
"""
CONFIRM = """
mutation Confirm($token: String!, $password: String!) {
  passwordResetConfirm(token: $token, newPassword: $password) {
    userErrors { field message code }
  }
}
"""
ME = "query { me { email displayName phone } }"
UPDATE = """
mutation Update($input: AccountUpdateInput!) {
  accountUpdate(input: $input) { user { displayName phone } userErrors { field message code } }
}
"""
REFRESH = """
mutation Refresh($token: String!) {
  tokenRefresh(refreshToken: $token) { accessToken userErrors { code } }
}
"""
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast_hashing(settings).model_copy(  # type: ignore[no-any-return]
        update={"public_base_url": "https://shop.example"}
    )


async def _mails(api: Api, to: str) -> list[dict[str, Any]]:
    body = await api.gql(MAILBOX, {"to": to})
    assert "errors" not in body, body
    mails: list[dict[str, Any]] = body["data"]["devMailbox"]
    return mails


async def _reset_token(api: Api, to: str) -> str:
    """The token of the newest reset link mailed to `to`."""
    (newest, *_) = await _mails(api, to)
    assert newest["subject"] == "Reset your FlashMart password"
    link = re.search(r"https://\S+", newest["text"]).group(0)  # type: ignore[union-attr]
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "shop.example", "/reset-password")
    return parse_qs(parts.query)["token"][0]


async def _request(api: Api, email: str) -> dict[str, Any]:
    body = await api.gql(REQUEST, {"email": email})
    return body


async def _confirm(api: Api, token: str, password: str = NEW_PASSWORD) -> list[dict[str, Any]]:
    body = await api.gql(CONFIRM, {"token": token, "password": password})
    assert "errors" not in body, body
    errors: list[dict[str, Any]] = body["data"]["passwordResetConfirm"]["userErrors"]
    return errors


async def _login(api: Api, email: str, password: str) -> dict[str, Any]:
    body = await api.gql(LOGIN, {"email": email, "password": password})
    payload: dict[str, Any] = body["data"]["tokenCreate"]
    return payload


async def test_a_reset_link_sets_the_password_once_and_ends_every_session(api: Api) -> None:
    session = await sign_up(api, "ada@example.com")
    body = await _request(api, "  ADA@example.com ")
    assert body["data"] == {"passwordResetRequest": {"userErrors": []}}
    token = await _reset_token(api, "ada@example.com")

    assert await _confirm(api, token) == []

    assert (await _login(api, "ada@example.com", TEST_PASSWORD))["userErrors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )
    assert (await _login(api, "ada@example.com", NEW_PASSWORD))["userErrors"] == []
    old_access = await api.gql(ME, token=session["accessToken"])
    assert error_code(old_access) == "UNAUTHENTICATED"
    refreshed = await api.gql(REFRESH, {"token": session["refreshToken"]})
    assert refreshed["data"]["tokenRefresh"]["userErrors"][0]["code"] == "INVALID_TOKEN"
    # used up: a second use changes nothing
    reused = await _confirm(api, token, "yet another passphrase")
    assert [e["code"] for e in reused] == ["INVALID_TOKEN"]
    assert (await _login(api, "ada@example.com", NEW_PASSWORD))["userErrors"] == []


async def test_the_answer_is_the_same_whether_or_not_the_account_exists(api: Api) -> None:
    await sign_up(api, "ada@example.com")
    known = await _request(api, "ada@example.com")
    unknown = await _request(api, "nobody@example.com")
    malformed = await _request(api, "not an email")
    assert known == unknown == malformed  # data and extensions alike
    assert known["data"] == {"passwordResetRequest": {"userErrors": []}}
    assert len(await _mails(api, "ada@example.com")) == 1
    assert await _mails(api, "nobody@example.com") == []


async def test_deactivated_accounts_get_no_link_and_their_tokens_stop_working(api: Api) -> None:
    await sign_up(api, "ada@example.com")
    await _request(api, "ada@example.com")
    token = await _reset_token(api, "ada@example.com")
    await User.filter(email="ada@example.com").update(is_active=False)
    assert [e["code"] for e in await _confirm(api, token)] == ["INVALID_TOKEN"]
    await _request(api, "ada@example.com")
    assert len(await _mails(api, "ada@example.com")) == 1  # no second mail


async def test_wrong_expired_and_replaced_tokens_change_nothing(api: Api) -> None:
    await sign_up(api, "ada@example.com")
    for bad in ("", "x" * 500, "not-a-token", "é" * 10):
        assert [e["code"] for e in await _confirm(api, bad)] == ["INVALID_TOKEN"], bad
    await _request(api, "ada@example.com")
    first = await _reset_token(api, "ada@example.com")
    await _request(api, "ada@example.com")
    second = await _reset_token(api, "ada@example.com")
    assert first != second
    assert [e["code"] for e in await _confirm(api, first)] == ["INVALID_TOKEN"]  # replaced

    weak = await _confirm(api, second, "short")
    assert [(e["code"], e["field"]) for e in weak] == [("PASSWORD_TOO_SHORT", ["newPassword"])]

    await AccountToken.filter(purpose=TokenPurpose.PASSWORD_RESET).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    assert [e["code"] for e in await _confirm(api, second)] == ["TOKEN_EXPIRED"]
    assert (await _login(api, "ada@example.com", TEST_PASSWORD))["userErrors"] == []


async def test_a_token_resets_only_its_own_account(api: Api) -> None:
    await sign_up(api, "ada@example.com")
    await sign_up(api, "bob@example.com")
    await _request(api, "ada@example.com")
    token = await _reset_token(api, "ada@example.com")
    assert await _confirm(api, token) == []
    assert (await _login(api, "ada@example.com", NEW_PASSWORD))["userErrors"] == []
    assert (await _login(api, "bob@example.com", TEST_PASSWORD))["userErrors"] == []
    assert (await _login(api, "bob@example.com", NEW_PASSWORD))["userErrors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )
    # a verification token is no reset token
    verify = await AccountToken.filter(purpose=TokenPurpose.VERIFY_EMAIL).count()
    assert verify == 0


async def test_two_confirmations_racing_with_one_token_set_one_password(api: Api) -> None:
    await sign_up(api, "ada@example.com")
    await _request(api, "ada@example.com")
    token = await _reset_token(api, "ada@example.com")
    answers = await asyncio.gather(
        _confirm(api, token, "first new passphrase"), _confirm(api, token, "second new passphrase")
    )
    assert sorted(len(errors) for errors in answers) == [0, 1]
    winner = "first new passphrase" if answers[0] == [] else "second new passphrase"
    loser = "second new passphrase" if answers[0] == [] else "first new passphrase"
    assert (await _login(api, "ada@example.com", winner))["userErrors"] == []
    assert (await _login(api, "ada@example.com", loser))["userErrors"] != []


async def test_requests_are_limited_per_email_and_per_address(api: Api, settings: Settings) -> None:
    per_email = settings.password_reset_per_email_per_hour
    for _ in range(per_email):
        assert error_code(await _request(api, "ada@example.com")) is None
    limited = await _request(api, "ada@example.com")
    assert error_code(limited) == "RATE_LIMITED"
    assert limited["errors"][0]["extensions"]["retryAfter"] > 0
    # another email from the same address still goes, until the address's bucket is empty
    left = settings.password_reset_per_ip_per_hour - per_email
    for i in range(left):
        assert error_code(await _request(api, f"other{i}@example.com")) is None
    assert error_code(await _request(api, "fresh@example.com")) == "RATE_LIMITED"


async def test_the_profile_is_updated_and_checked(api: Api) -> None:
    session = await sign_up(api, "ada@example.com")
    token = session["accessToken"]
    body = await api.gql(
        UPDATE, {"input": {"displayName": "  Ada L. ", "phone": "+86 138-0000-0000"}}, token=token
    )
    assert body["data"]["accountUpdate"] == {
        "user": {"displayName": "Ada L.", "phone": "+86 138-0000-0000"},
        "userErrors": [],
    }
    bad = await api.gql(
        UPDATE, {"input": {"displayName": "x" * 81, "phone": "call me"}}, token=token
    )
    assert [(e["code"], e["field"]) for e in bad["data"]["accountUpdate"]["userErrors"]] == [
        ("INVALID", ["input", "displayName"]),
        ("INVALID", ["input", "phone"]),
    ]
    cleared = await api.gql(UPDATE, {"input": {"phone": ""}}, token=token)
    assert cleared["data"]["accountUpdate"]["user"] == {"displayName": "Ada L.", "phone": None}
    anonymous = await api.gql(UPDATE, {"input": {"phone": "12345"}})
    assert error_code(anonymous) == "UNAUTHENTICATED"


async def test_a_deactivated_account_is_told_so_only_with_the_right_password(api: Api) -> None:
    await sign_up(api, "ada@example.com")
    await User.filter(email="ada@example.com").update(is_active=False)
    wrong = await _login(api, "ada@example.com", "not the password")
    assert [e["code"] for e in wrong["userErrors"]] == ["INVALID_CREDENTIALS"]
    right = await _login(api, "ada@example.com", TEST_PASSWORD)
    assert [e["code"] for e in right["userErrors"]] == ["ACCOUNT_DISABLED"]
    assert right["accessToken"] is None
    await User.filter(email="ada@example.com").update(is_active=True, role=Role.CUSTOMER)
    assert (await _login(api, "ada@example.com", TEST_PASSWORD))["userErrors"] == []
