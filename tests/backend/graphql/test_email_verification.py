"""Email verification over HTTP: the mail a sign-up sends, the one-time link, resending, the
`ev` claim of access tokens, and the development mailbox (refused outside development)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from redis.asyncio import Redis

from flashmart.accounts.models import AccountToken, User
from flashmart.accounts.services import create_user
from flashmart.accounts.tokens import decode_access_token
from flashmart.core.settings import Settings
from tests.backend.helpers import (
    LOGIN,
    REGISTER,
    TEST_PASSWORD,
    TEST_SECRET,
    Api,
    error_code,
    fast_hashing,
)

MAILBOX = """
query Mailbox($to: String) { devMailbox(first: 10, to: $to) { id to subject text sentAt } }
"""
VERIFY = """
mutation Verify($token: String!) {
  accountVerifyEmail(token: $token) {
    user { email emailVerified emailVerifiedAt } userErrors { field message code }
  }
}
"""
RESEND = "mutation { accountVerifyEmailResend { userErrors { field message code } } }"
ME = "query { me { email emailVerified emailVerifiedAt } emailVerificationEnabled }"
REFRESH = """
mutation Refresh($token: String!) { tokenRefresh(refreshToken: $token) { accessToken refreshToken } }
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast_hashing(settings).model_copy(  # type: ignore[no-any-return]
        update={"email_verification": True, "public_base_url": "https://shop.example"}
    )


async def _register(api: Api, email: str = "ada@example.com") -> dict[str, Any]:
    body = await api.gql(REGISTER, {"input": {"email": email, "password": TEST_PASSWORD}})
    assert body["data"]["accountRegister"]["userErrors"] == [], body
    login = await api.gql(LOGIN, {"email": email, "password": TEST_PASSWORD})
    session: dict[str, Any] = login["data"]["tokenCreate"]
    return session


async def _links(api: Api, to: str = "ada@example.com") -> list[str]:
    """The verification links mailed to `to`, newest first."""
    body = await api.gql(MAILBOX, {"to": to})
    assert "errors" not in body, body
    return [
        re.search(r"https://\S+", mail["text"]).group(0)  # type: ignore[union-attr]
        for mail in body["data"]["devMailbox"]
    ]


def _token(link: str) -> str:
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "shop.example", "/verify-email")
    return parse_qs(parts.query)["token"][0]


async def test_sign_up_mails_a_one_time_link_that_verifies_the_email(api: Api) -> None:
    session = await _register(api)
    me = await api.gql(ME, token=session["accessToken"])
    assert me["data"] == {
        "me": {"email": "ada@example.com", "emailVerified": False, "emailVerifiedAt": None},
        "emailVerificationEnabled": True,
    }
    (mail,) = (await api.gql(MAILBOX, {"to": "ada@example.com"}))["data"]["devMailbox"]
    assert mail["subject"] == "Verify your email address for FlashMart"
    token = _token((await _links(api))[0])
    # Only a digest is stored.
    (stored,) = await AccountToken.all()
    assert stored.token_hash != token and token not in stored.token_hash

    verified = (await api.gql(VERIFY, {"token": token}))["data"]["accountVerifyEmail"]
    assert verified["userErrors"] == []
    assert verified["user"]["emailVerified"] is True
    assert verified["user"]["emailVerifiedAt"] is not None
    me = await api.gql(ME, token=session["accessToken"])
    assert me["data"]["me"]["emailVerified"] is True

    again = (await api.gql(VERIFY, {"token": token}))["data"]["accountVerifyEmail"]
    assert again == {
        "user": None,
        "userErrors": [
            {
                "field": ["token"],
                "message": "This verification link is not valid or was already used",
                "code": "INVALID_TOKEN",
            }
        ],
    }


async def test_tokens_carry_the_state_and_a_refresh_brings_the_new_one(api: Api) -> None:
    session = await _register(api)
    assert decode_access_token(session["accessToken"], secret=TEST_SECRET).email_verified is False
    await api.gql(VERIFY, {"token": _token((await _links(api))[0])})
    # The token issued before still says false; the refreshed one says true.
    assert decode_access_token(session["accessToken"], secret=TEST_SECRET).email_verified is False
    refreshed = (await api.gql(REFRESH, {"token": session["refreshToken"]}))["data"]
    fresh = refreshed["tokenRefresh"]["accessToken"]
    assert decode_access_token(fresh, secret=TEST_SECRET).email_verified is True
    login = await api.gql(LOGIN, {"email": "ada@example.com", "password": TEST_PASSWORD})
    signed_in = login["data"]["tokenCreate"]["accessToken"]
    assert decode_access_token(signed_in, secret=TEST_SECRET).email_verified is True


async def test_wrong_and_malformed_tokens_are_typed_errors_that_change_nothing(api: Api) -> None:
    await _register(api)
    for token in ["", "nope", "x" * 5000, "ünïcödé", _token((await _links(api))[0]) + "x"]:
        body = await api.gql(VERIFY, {"token": token})
        assert "errors" not in body
        errors = body["data"]["accountVerifyEmail"]["userErrors"]
        assert [e["code"] for e in errors] == ["INVALID_TOKEN"], token
    assert await User.filter(email_verified_at__isnull=False).count() == 0


async def test_an_expired_link_is_refused(api: Api) -> None:
    await _register(api)
    token = _token((await _links(api))[0])
    await AccountToken.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    errors = (await api.gql(VERIFY, {"token": token}))["data"]["accountVerifyEmail"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [("TOKEN_EXPIRED", ["token"])]
    assert await User.filter(email_verified_at__isnull=False).count() == 0


async def test_resending_replaces_the_link_and_is_throttled(api: Api) -> None:
    session = await _register(api)
    first = _token((await _links(api))[0])
    for _ in range(3):  # EMAIL_VERIFICATION_RESEND_PER_HOUR
        body = await api.gql(RESEND, token=session["accessToken"])
        assert body["data"]["accountVerifyEmailResend"]["userErrors"] == []
    links = await _links(api)
    assert len(links) == 4
    limited = await api.gql(RESEND, token=session["accessToken"])
    assert error_code(limited) == "RATE_LIMITED"
    assert limited["errors"][0]["extensions"]["retryAfter"] == 1200
    assert len(await _links(api)) == 4  # nothing mailed
    stale = await api.gql(VERIFY, {"token": first})
    assert [e["code"] for e in stale["data"]["accountVerifyEmail"]["userErrors"]] == [
        "INVALID_TOKEN"
    ]
    newest = await api.gql(VERIFY, {"token": _token(links[0])})
    assert newest["data"]["accountVerifyEmail"]["userErrors"] == []
    done = await api.gql(RESEND, token=session["accessToken"])
    assert [e["code"] for e in done["data"]["accountVerifyEmailResend"]["userErrors"]] == [
        "INVALID_STATE"
    ]
    anonymous = await api.gql(RESEND)
    assert error_code(anonymous) == "UNAUTHENTICATED"


async def test_concurrent_uses_of_one_link_verify_once(api: Api) -> None:
    await _register(api)
    token = _token((await _links(api))[0])
    bodies = await asyncio.gather(*(api.gql(VERIFY, {"token": token}) for _ in range(8)))
    errors = [b["data"]["accountVerifyEmail"]["userErrors"] for b in bodies]
    outcomes = sorted(e[0]["code"] if e else "OK" for e in errors)
    assert outcomes == ["INVALID_TOKEN"] * 7 + ["OK"]
    assert await AccountToken.filter(used_at__isnull=False).count() == 1


async def test_without_the_setting_nothing_is_mailed_but_shoppers_may_ask(
    app_factory: Any, redis: Redis
) -> None:
    app = app_factory(email_verification=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http,
    ):
        api = Api(http)
        session = await _register(api)
        assert await _links(api) == []
        assert (await api.gql(ME, token=session["accessToken"]))["data"][
            "emailVerificationEnabled"
        ] is False
        await api.gql(RESEND, token=session["accessToken"])
        token = _token((await _links(api))[0])
        verified = await api.gql(VERIFY, {"token": token})
        assert verified["data"]["accountVerifyEmail"]["user"]["emailVerified"] is True


async def test_a_sign_up_survives_a_mail_backend_that_is_down(
    app_factory: Any, redis: Redis
) -> None:
    app = app_factory(
        mail_backend="smtp", smtp_host="127.0.0.1", smtp_port=9, smtp_security="none"
    )  # the discard port: nothing listens
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http,
    ):
        api = Api(http)
        session = await _register(api)
        assert await User.filter(email="ada@example.com").exists()
        failed = await api.gql(RESEND, token=session["accessToken"])
        assert error_code(failed) == "SERVICE_UNAVAILABLE"
        assert failed["errors"][0]["extensions"]["retryAfter"] == 30


async def test_the_dev_mailbox_is_refused_outside_development(
    app_factory: Any, redis: Redis
) -> None:
    app = app_factory(env="production")
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http,
    ):
        api = Api(http)
        await create_user(email="ada@example.com", password=TEST_PASSWORD)
        body = await api.gql(MAILBOX, {"to": None})
        assert body["data"] is None
        assert error_code(body) == "FORBIDDEN"
        assert body["errors"][0]["message"] == "The development mailbox exists only in development"
