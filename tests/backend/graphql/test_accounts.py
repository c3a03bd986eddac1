"""Accounts over HTTP: sign-up, sessions, JWT attacks, revocation, rate limits, admin users."""

from __future__ import annotations

import base64
import json
import time
import warnings
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest
from redis.asyncio import Redis

from flashmart.accounts.models import RefreshToken, Role, User
from flashmart.accounts.tokens import ALGORITHM, AUDIENCE, ISSUER
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from tests.backend.helpers import (
    LOGIN,
    REGISTER,
    TEST_PASSWORD,
    TEST_SECRET,
    Api,
    error_code,
    fast_hashing,
    sign_up,
    token_for,
)

ME = "query Me { me { id email role isActive } }"
REFRESH = """
mutation Refresh($token: String!) {
  tokenRefresh(refreshToken: $token) { accessToken refreshToken userErrors { field message code } }
}
"""
REVOKE = """
mutation Logout($token: String!) {
  tokenRevoke(refreshToken: $token) { userErrors { field message code } }
}
"""
PASSWORD_CHANGE = """
mutation ChangePassword($old: String!, $new: String!) {
  passwordChange(oldPassword: $old, newPassword: $new) { userErrors { field message code } }
}
"""
USER_UPDATE = """
mutation UserUpdate($id: ID!, $input: UserUpdateInput!) {
  userUpdate(id: $id, input: $input) {
    user { id email role isActive } userErrors { field message code }
  }
}
"""
USERS = """
query Users($first: Int, $after: String, $filter: UserFilter) {
  users(first: $first, after: $after, filter: $filter) {
    totalCount edges { cursor node { email role isActive createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast_hashing(settings)  # type: ignore[no-any-return]


# --- the whole flow -----------------------------------------------------------------------------
async def test_register_login_me_refresh_reuse_logout(api: Api) -> None:
    registered = await api.gql(
        REGISTER, {"input": {"email": " Ada@Example.com", "password": TEST_PASSWORD}}
    )
    payload = registered["data"]["accountRegister"]
    assert payload["userErrors"] == []
    assert payload["user"]["email"] == "ada@example.com"
    assert payload["user"]["role"] == "CUSTOMER"

    login = (await api.gql(LOGIN, {"email": "ada@example.com", "password": TEST_PASSWORD}))["data"][
        "tokenCreate"
    ]
    assert login["userErrors"] == []
    assert login["user"]["id"] == payload["user"]["id"]

    me = await api.gql(ME, token=login["accessToken"])
    assert me["data"]["me"] == {**payload["user"], "isActive": True}
    assert (await api.gql(ME))["data"]["me"] is None  # anonymous

    first_refresh = login["refreshToken"]
    refreshed = (await api.gql(REFRESH, {"token": first_refresh}))["data"]["tokenRefresh"]
    assert refreshed["userErrors"] == []
    assert refreshed["refreshToken"] != first_refresh
    assert (await api.gql(ME, token=refreshed["accessToken"]))["data"]["me"]["email"] == (
        "ada@example.com"
    )

    # the old refresh token is used up ... and presenting it again revokes the whole family
    reused = (await api.gql(REFRESH, {"token": first_refresh}))["data"]["tokenRefresh"]
    assert reused["accessToken"] is None
    assert reused["userErrors"] == [
        {
            "field": ["refreshToken"],
            "message": "The refresh token is invalid or expired",
            "code": "INVALID_TOKEN",
        }
    ]
    newest = (await api.gql(REFRESH, {"token": refreshed["refreshToken"]}))["data"]["tokenRefresh"]
    assert [e["code"] for e in newest["userErrors"]] == ["INVALID_TOKEN"]

    # a new sign-in, then log out
    again = (await api.gql(LOGIN, {"email": "ada@example.com", "password": TEST_PASSWORD}))["data"][
        "tokenCreate"
    ]
    logout = await api.gql(REVOKE, {"token": again["refreshToken"]})
    assert logout["data"]["tokenRevoke"]["userErrors"] == []
    after = (await api.gql(REFRESH, {"token": again["refreshToken"]}))["data"]["tokenRefresh"]
    assert [e["code"] for e in after["userErrors"]] == ["INVALID_TOKEN"]
    unknown = await api.gql(REVOKE, {"token": "never-issued"})
    assert [e["code"] for e in unknown["data"]["tokenRevoke"]["userErrors"]] == ["INVALID_TOKEN"]


async def test_wrong_password_and_unknown_email_answer_alike(api: Api) -> None:
    await sign_up(api, "ada@example.com")
    wrong = await api.gql(LOGIN, {"email": "ada@example.com", "password": "not the password"})
    unknown = await api.gql(LOGIN, {"email": "bob@example.com", "password": TEST_PASSWORD})
    assert wrong == unknown
    payload = wrong["data"]["tokenCreate"]
    assert payload["accessToken"] is None and payload["refreshToken"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID_CREDENTIALS"]


# --- JWT attacks --------------------------------------------------------------------------------
def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(user_id: int, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "role": "ADMIN",
        "iat": now,
        "exp": now + 600,
        "jti": "x" * 32,
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _alg_none(user_id: int) -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(user_id))}."


def _quiet_encode(claims: dict[str, Any], secret: str, algorithm: str) -> str:
    with warnings.catch_warnings():  # PyJWT warns that the key is short for HS512
        warnings.simplefilter("ignore")
        return jwt.encode(claims, secret, algorithm=algorithm)


def _tampered(user_id: int) -> str:
    genuine = token_for(user_id, Role.CUSTOMER)
    header, payload, signature = genuine.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "ADMIN"
    return f"{header}.{_b64(claims)}.{signature}"


ATTACKS: dict[str, Callable[[int], str]] = {
    "alg none": _alg_none,
    "alg none, signature kept": lambda uid: _alg_none(uid) + token_for(uid).split(".")[2],
    "HS256 with another secret": lambda uid: jwt.encode(
        _claims(uid), "another-secret-" + "y" * 40, algorithm=ALGORITHM
    ),
    "HS512 with the right secret": lambda uid: _quiet_encode(_claims(uid), TEST_SECRET, "HS512"),
    "tampered payload": _tampered,
    "expired": lambda uid: jwt.encode(
        _claims(uid, iat=int(time.time()) - 1000, exp=int(time.time()) - 10),
        TEST_SECRET,
    ),
    "wrong audience": lambda uid: jwt.encode(_claims(uid, aud="someone-else"), TEST_SECRET),
    "wrong issuer": lambda uid: jwt.encode(_claims(uid, iss="evil"), TEST_SECRET),
    "no jti": lambda uid: jwt.encode(_claims(uid, jti=None), TEST_SECRET),
    "issued in the future": lambda uid: jwt.encode(
        _claims(uid, iat=int(time.time()) + 3600), TEST_SECRET
    ),
    "unknown role": lambda uid: jwt.encode(_claims(uid, role="ROOT"), TEST_SECRET),
    "not a jwt": lambda uid: "garbage",
}


@pytest.mark.parametrize("attack", list(ATTACKS))
async def test_forged_tokens_are_unauthenticated(api: Api, attack: str) -> None:
    user = await User.create(email="victim@example.com", password_hash="x")
    token = ATTACKS[attack](user.id)
    for query in (ME, "{ serverTime }", "{ users { totalCount } }"):
        body = await api.gql(query, token=token)
        assert body["data"] is None, attack
        assert error_code(body) == "UNAUTHENTICATED", attack


async def test_the_genuine_token_works(api: Api) -> None:
    """The control for the attacks above: the same claims, signed properly, are accepted."""
    user = await User.create(email="victim@example.com", password_hash="x", role=Role.ADMIN)
    body = await api.gql(
        "{ users { totalCount } }", token=jwt.encode(_claims(user.id), TEST_SECRET)
    )
    assert body["data"] == {"users": {"totalCount": 1}}


# --- revocation ---------------------------------------------------------------------------------
async def test_deactivated_user_is_locked_out_on_the_next_request(api: Api, redis: Redis) -> None:
    admin = await sign_up(api, "boss@example.com", role=Role.ADMIN)
    shopper = await sign_up(api, "ada@example.com")
    assert (await api.gql(ME, token=shopper["accessToken"]))["data"]["me"]["isActive"] is True

    body = await api.gql(
        USER_UPDATE,
        {"id": shopper["user"]["id"], "input": {"isActive": False}},
        token=admin["accessToken"],
    )
    payload = body["data"]["userUpdate"]
    assert payload["userErrors"] == []
    assert payload["user"]["isActive"] is False

    denied = await api.gql(ME, token=shopper["accessToken"])
    assert denied["data"] is None
    assert error_code(denied) == "UNAUTHENTICATED"
    refresh = await api.gql(REFRESH, {"token": shopper["refreshToken"]})
    assert [e["code"] for e in refresh["data"]["tokenRefresh"]["userErrors"]] == ["INVALID_TOKEN"]
    login = await api.gql(LOGIN, {"email": "ada@example.com", "password": TEST_PASSWORD})
    assert [e["code"] for e in login["data"]["tokenCreate"]["userErrors"]] == ["ACCOUNT_DISABLED"]
    # the admin's own session is untouched
    assert (await api.gql(ME, token=admin["accessToken"]))["data"]["me"]["role"] == "ADMIN"


async def test_password_change_rejects_old_access_tokens(api: Api) -> None:
    first = await sign_up(api, "ada@example.com")
    second = (await api.gql(LOGIN, {"email": "ada@example.com", "password": TEST_PASSWORD}))[
        "data"
    ]["tokenCreate"]

    wrong = await api.gql(
        PASSWORD_CHANGE,
        {"old": "not it at all", "new": "another long one"},
        token=first["accessToken"],
    )
    assert wrong["data"]["passwordChange"]["userErrors"] == [
        {
            "field": ["oldPassword"],
            "message": "The current password is wrong",
            "code": "INVALID_CREDENTIALS",
        }
    ]
    weak = await api.gql(
        PASSWORD_CHANGE,
        {"old": TEST_PASSWORD, "new": "short"},
        token=first["accessToken"],
    )
    assert [(e["field"], e["code"]) for e in weak["data"]["passwordChange"]["userErrors"]] == [
        (["newPassword"], "PASSWORD_TOO_SHORT")
    ]

    changed = await api.gql(
        PASSWORD_CHANGE,
        {"old": TEST_PASSWORD, "new": "a brand new password"},
        token=first["accessToken"],
    )
    assert changed["data"] == {"passwordChange": {"userErrors": []}}
    for old in (first, second):
        assert error_code(await api.gql(ME, token=old["accessToken"])) == "UNAUTHENTICATED"
        refresh = await api.gql(REFRESH, {"token": old["refreshToken"]})
        assert refresh["data"]["tokenRefresh"]["userErrors"][0]["code"] == "INVALID_TOKEN"
    assert (await api.gql(LOGIN, {"email": "ada@example.com", "password": TEST_PASSWORD}))["data"][
        "tokenCreate"
    ]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    fresh = (
        await api.gql(LOGIN, {"email": "ada@example.com", "password": "a brand new password"})
    )["data"]["tokenCreate"]
    assert (await api.gql(ME, token=fresh["accessToken"]))["data"]["me"]["email"] == (
        "ada@example.com"
    )


async def test_password_change_needs_a_signed_in_user(api: Api) -> None:
    body = await api.gql(PASSWORD_CHANGE, {"old": TEST_PASSWORD, "new": "another long one"})
    assert error_code(body) == "UNAUTHENTICATED"


async def test_demoted_admin_loses_admin_access_at_once(api: Api) -> None:
    boss = await sign_up(api, "boss@example.com", role=Role.ADMIN)
    deputy = await sign_up(api, "deputy@example.com", role=Role.ADMIN)
    assert (await api.gql("{ users { totalCount } }", token=deputy["accessToken"]))["data"]
    body = await api.gql(
        USER_UPDATE,
        {"id": deputy["user"]["id"], "input": {"role": "CUSTOMER"}},
        token=boss["accessToken"],
    )
    assert body["data"]["userUpdate"]["user"]["role"] == "CUSTOMER"
    stale = await api.gql("{ users { totalCount } }", token=deputy["accessToken"])
    assert error_code(stale) == "UNAUTHENTICATED"
    renewed = (await api.gql(REFRESH, {"token": deputy["refreshToken"]}))["data"]["tokenRefresh"]
    assert error_code(await api.gql("{ users { totalCount } }", token=renewed["accessToken"])) == (
        "FORBIDDEN"
    )


# --- login rate limits --------------------------------------------------------------------------
@pytest.fixture
async def client_at(app_factory: Any, redis: Redis) -> AsyncIterator[Callable[[str], Api]]:
    """Clients of one app (8 sign-ins per IP, 3 sign-ups per IP) that appear to come from `ip`."""
    app = app_factory(login_attempts_per_ip=8, register_attempts_per_ip=3)
    opened: list[httpx.AsyncClient] = []

    def make(ip: str) -> Api:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://test")
        opened.append(client)
        return Api(client)

    async with app.router.lifespan_context(app):
        yield make
        for client in opened:
            await client.aclose()


async def _login(api: Api, email: str, password: str = "wrong password") -> dict[str, Any]:
    return await api.gql(LOGIN, {"email": email, "password": password})


async def test_failures_elsewhere_never_lock_the_owner_out(
    client_at: Callable[[str], Api],
) -> None:
    await sign_up(client_at("10.0.0.1"), "ada@example.com")
    attacker = client_at("203.0.113.9")
    answers = [await _login(attacker, "ada@example.com") for _ in range(11)]
    assert [a["data"]["tokenCreate"]["userErrors"][0]["code"] for a in answers[:5]] == [
        "INVALID_CREDENTIALS"
    ] * 5
    assert {error_code(a) for a in answers[5:]} == {"RATE_LIMITED"}
    limited = await _login(attacker, "ADA@example.com", TEST_PASSWORD)  # the right password too
    assert limited["data"] is None
    error = limited["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] >= 1
    assert error["message"] == f"Too many requests; retry in {error['extensions']['retryAfter']} s"
    owner = await _login(client_at("198.51.100.7"), "ada@example.com", TEST_PASSWORD)
    assert owner["data"]["tokenCreate"]["userErrors"] == []
    assert owner["data"]["tokenCreate"]["accessToken"]


async def test_failed_logins_per_ip_are_limited(
    client_at: Callable[[str], Api],
) -> None:
    attacker = client_at("203.0.113.9")
    for n in range(8):
        body = await _login(attacker, f"victim{n}@example.com")
        assert body["data"]["tokenCreate"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    limited = await _login(attacker, "victim9@example.com")
    assert error_code(limited) == "RATE_LIMITED"
    assert limited["errors"][0]["extensions"]["retryAfter"] >= 1
    bystander = await _login(client_at("198.51.100.7"), "victim9@example.com")
    assert bystander["data"]["tokenCreate"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_successful_logins_do_not_use_up_the_budget(
    client_at: Callable[[str], Api],
) -> None:
    api = client_at("10.0.0.1")
    await sign_up(api, "ada@example.com")
    for _ in range(8):
        body = await _login(api, "ada@example.com", TEST_PASSWORD)
        assert body["data"]["tokenCreate"]["userErrors"] == []


async def test_sign_ups_from_one_address_are_throttled(
    client_at: Callable[[str], Api],
) -> None:
    bot = client_at("203.0.113.9")
    for n in range(3):
        body = await bot.gql(
            REGISTER, {"input": {"email": f"bot{n}@example.com", "password": TEST_PASSWORD}}
        )
        assert body["data"]["accountRegister"]["userErrors"] == []
    limited = await bot.gql(
        REGISTER, {"input": {"email": "bot9@example.com", "password": TEST_PASSWORD}}
    )
    assert error_code(limited) == "RATE_LIMITED"
    assert limited["errors"][0]["extensions"]["retryAfter"] == 1200  # 3600 s / 3
    assert await User.filter(email="bot9@example.com").count() == 0
    other = await client_at("198.51.100.7").gql(
        REGISTER, {"input": {"email": "ada@example.com", "password": TEST_PASSWORD}}
    )
    assert other["data"]["accountRegister"]["userErrors"] == []


# --- bad input ----------------------------------------------------------------------------------
BAD_REGISTRATIONS: list[tuple[str, str, list[tuple[list[str], str]]]] = [
    ("not-an-email", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("ada@", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("ada@example", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("a b@example.com", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("\uff45xample@\uff45xample.com", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("ada\u200f@example.com", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("\u202eada@example.com", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("ada\x00@example.com", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("😀@example.com", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("ada@ex\u0430mple.com", TEST_PASSWORD, [(["input", "email"], "INVALID")]),  # Cyrillic a
    ("a" * 300 + "@example.com", TEST_PASSWORD, [(["input", "email"], "INVALID")]),
    ("ada@example.com", "short", [(["input", "password"], "PASSWORD_TOO_SHORT")]),
    ("ada@example.com", "", [(["input", "password"], "PASSWORD_TOO_SHORT")]),
    ("ada@example.com", "x" * 10_240, [(["input", "password"], "PASSWORD_TOO_LONG")]),
    (
        "ada@example.com",
        "ADA@example.com",
        [(["input", "password"], "PASSWORD_TOO_SIMILAR")],
    ),
    ("ada@example.com", "long\x00password", [(["input", "password"], "INVALID")]),
    ("ada@example.com", "😀😀😀", [(["input", "password"], "PASSWORD_TOO_SHORT")]),
    (
        "",
        "",
        [
            (["input", "email"], "INVALID"),
            (["input", "password"], "PASSWORD_TOO_SHORT"),
        ],
    ),
]


async def test_bad_registrations_get_typed_errors_and_write_nothing(api: Api) -> None:
    for email, password, expected in BAD_REGISTRATIONS:
        body = await api.gql(REGISTER, {"input": {"email": email, "password": password}})
        payload = body["data"]["accountRegister"]
        assert payload["user"] is None, email
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == expected, (
            email,
            password,
        )
        assert all(e["message"] for e in payload["userErrors"])
    assert await User.all().count() == 0


async def test_unicode_passwords_register_and_sign_in(api: Api) -> None:
    password = "🦄 ünïcödé \u05e9\u05dc\u05d5\u05dd"
    body = await api.gql(REGISTER, {"input": {"email": "ada@example.com", "password": password}})
    assert body["data"]["accountRegister"]["userErrors"] == []
    login = await api.gql(LOGIN, {"email": "ada@example.com", "password": password})
    assert login["data"]["tokenCreate"]["userErrors"] == []


async def test_duplicate_email_is_taken_whatever_the_case(api: Api) -> None:
    await api.gql(REGISTER, {"input": {"email": "ada@example.com", "password": TEST_PASSWORD}})
    before = await User.all().count()
    for email in ("ada@example.com", "ADA@Example.COM", "  ada@example.com  "):
        body = await api.gql(REGISTER, {"input": {"email": email, "password": TEST_PASSWORD}})
        assert body["data"]["accountRegister"] == {
            "user": None,
            "userErrors": [
                {
                    "field": ["input", "email"],
                    "message": "This email is already registered",
                    "code": "EMAIL_TAKEN",
                }
            ],
        }
    assert await User.all().count() == before


async def test_garbage_login_input_is_invalid_credentials(api: Api) -> None:
    for email, password in [
        ("ada\x00@example.com", TEST_PASSWORD),
        ("\uff45xample@\uff45xample.com", TEST_PASSWORD),
        ("ada@example.com", "x" * 10_240),
        ("ada@example.com", "\x00"),
        ("", ""),
    ]:
        body = await api.gql(LOGIN, {"email": email, "password": password})
        assert [e["code"] for e in body["data"]["tokenCreate"]["userErrors"]] == [
            "INVALID_CREDENTIALS"
        ]
    assert await RefreshToken.all().count() == 0


# --- admin: users -------------------------------------------------------------------------------
async def test_admin_lists_and_filters_users(api: Api) -> None:
    admin = await sign_up(api, "boss@example.com", role=Role.ADMIN)
    for n in range(5):
        await User.create(email=f"shopper{n}@example.org", password_hash="x", is_active=n != 3)
    page = (await api.gql(USERS, {"first": 4}, token=admin["accessToken"]))["data"]["users"]
    assert page["totalCount"] == 6
    assert [e["node"]["email"] for e in page["edges"]] == [
        "boss@example.com",
        "shopper0@example.org",
        "shopper1@example.org",
        "shopper2@example.org",
    ]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = (
        await api.gql(
            USERS,
            {"first": 4, "after": page["pageInfo"]["endCursor"]},
            token=admin["accessToken"],
        )
    )["data"]["users"]
    assert [e["node"]["email"] for e in rest["edges"]] == [
        "shopper3@example.org",
        "shopper4@example.org",
    ]
    filtered = await api.gql(
        USERS,
        {"filter": {"search": "EXAMPLE.ORG", "role": "CUSTOMER", "isActive": False}},
        token=admin["accessToken"],
    )
    assert [e["node"] for e in filtered["data"]["users"]["edges"]] == [
        {
            "email": "shopper3@example.org",
            "role": "CUSTOMER",
            "isActive": False,
            "createdAt": filtered["data"]["users"]["edges"][0]["node"]["createdAt"],
        }
    ]
    admins = await api.gql(USERS, {"filter": {"role": "ADMIN"}}, token=admin["accessToken"])
    assert admins["data"]["users"]["totalCount"] == 1


async def test_user_update_errors(api: Api) -> None:
    admin = await sign_up(api, "boss@example.com", role=Role.ADMIN)
    token = admin["accessToken"]
    missing = await api.gql(
        USER_UPDATE,
        {"id": encode_id("User", 999_999), "input": {"isActive": False}},
        token=token,
    )
    assert [e["code"] for e in missing["data"]["userUpdate"]["userErrors"]] == ["NOT_FOUND"]
    self_lockout = await api.gql(
        USER_UPDATE,
        {"id": admin["user"]["id"], "input": {"isActive": False}},
        token=token,
    )
    assert [e["code"] for e in self_lockout["data"]["userUpdate"]["userErrors"]] == [
        "INVALID_STATE"
    ]
    malformed = await api.gql(USER_UPDATE, {"id": "bm9wZQ==", "input": {}}, token=token)
    assert error_code(malformed) == "BAD_USER_INPUT"
    foreign = await api.gql(USER_UPDATE, {"id": encode_id("Product", 1), "input": {}}, token=token)
    assert error_code(foreign) == "BAD_USER_INPUT"


async def test_users_node_is_visible_to_self_and_admins_only(api: Api) -> None:
    admin = await sign_up(api, "boss@example.com", role=Role.ADMIN)
    ada = await sign_up(api, "ada@example.com")
    bob = await sign_up(api, "bob@example.com")
    query = "query Node($id: ID!) { node(id: $id) { ... on User { email } } }"
    variables = {"id": ada["user"]["id"]}
    assert (await api.gql(query, variables, token=ada["accessToken"]))["data"]["node"] == {
        "email": "ada@example.com"
    }
    assert (await api.gql(query, variables, token=admin["accessToken"]))["data"]["node"]
    assert (await api.gql(query, variables, token=bob["accessToken"]))["data"]["node"] is None
    assert (await api.gql(query, variables))["data"]["node"] is None


async def test_refresh_works_with_a_stale_access_token_but_nothing_else_does(api: Api) -> None:
    """Session operations skip the token check; any other field fails the whole request."""
    session = await sign_up(api, "ada@example.com")
    expired = jwt.encode(
        _claims(1, iat=int(time.time()) - 1000, exp=int(time.time()) - 10), TEST_SECRET
    )
    fresh = await api.gql(REFRESH, {"token": session["refreshToken"]}, token=expired)
    assert fresh["data"]["tokenRefresh"]["userErrors"] == []
    assert fresh["data"]["tokenRefresh"]["accessToken"]
    mixed = "mutation($t: String!) { tokenRefresh(refreshToken: $t) { accessToken } systemPing { jobId } }"
    refused = await api.gql(
        mixed, {"t": fresh["data"]["tokenRefresh"]["refreshToken"]}, token=expired
    )
    assert error_code(refused) == "UNAUTHENTICATED"
    assert error_code(await api.gql("{ me { email } }", token=expired)) == "UNAUTHENTICATED"
