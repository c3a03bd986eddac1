"""Abuse limits of sign-in and sign-up (accounts/services.py `_admit`, `register`), on the real
Redis and database: failures at one address never lock the owner out at another, delays grow,
refused attempts cost no password hash, and the limits hold under concurrent attempts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

import pytest
from prometheus_client import REGISTRY

from flashmart.accounts import services as accounts
from flashmart.accounts.models import User
from flashmart.core.errors import ApiError, DomainFailure, ErrorCode, TopLevelCode
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from tests.backend.helpers import TEST_PASSWORD, fast_hashing

OWNER = "ada@example.com"
ATTACKER = "203.0.113.66"
HOME = "198.51.100.7"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast_hashing(settings)  # type: ignore[no-any-return]


def hashes(operation: str) -> float:
    """Argon2id runs so far in this process (`flashmart_password_hashes_total`)."""
    value = REGISTRY.get_sample_value("flashmart_password_hashes_total", {"operation": operation})
    return value or 0.0


def tune(runtime: Runtime, **changes: Any) -> None:
    runtime.settings = runtime.settings.model_copy(update=changes)


async def answered(call: Awaitable[object]) -> str:
    """OK, the first userError's code, or RATE_LIMITED:<retryAfter>."""
    try:
        await call
    except DomainFailure as failure:
        return failure.errors[0].code.value
    except ApiError as error:
        assert error.code is TopLevelCode.RATE_LIMITED
        return f"RATE_LIMITED:{error.extensions['retryAfter']}"
    return "OK"


async def outcome(runtime: Runtime, *, password: str, ip: str | None, email: str = OWNER) -> str:
    """OK, INVALID_CREDENTIALS or RATE_LIMITED:<retryAfter>."""
    return await answered(accounts.login(runtime, email=email, password=password, ip=ip))


@pytest.fixture
async def owner(runtime: Runtime) -> User:
    return await accounts.create_user(
        email=OWNER, password=TEST_PASSWORD, settings=runtime.settings
    )


# --- sign-in --------------------------------------------------------------------------------
async def test_failures_at_one_address_never_lock_the_owner_out_at_another(
    runtime: Runtime, owner: User
) -> None:
    answers = [await outcome(runtime, password=f"guess {n}", ip=ATTACKER) for n in range(15)]
    assert answers[:5] == ["INVALID_CREDENTIALS"] * 5  # LOGIN_BACKOFF_FREE_FAILURES
    assert all(a.startswith("RATE_LIMITED:") for a in answers[5:])
    # The owner, at home, at once and again and again: never refused.
    for _ in range(3):
        assert await outcome(runtime, password=TEST_PASSWORD, ip=HOME) == "OK"
    # ...even after slipping a few times at home.
    assert await outcome(runtime, password="typo", ip=HOME) == "INVALID_CREDENTIALS"
    assert await outcome(runtime, password=TEST_PASSWORD, ip=HOME) == "OK"
    # The attacker's address is still waiting.
    assert (await outcome(runtime, password=TEST_PASSWORD, ip=ATTACKER)).startswith("RATE_LIMITED")


async def test_delays_grow_at_one_address_and_throttled_attempts_never_hash(
    runtime: Runtime, owner: User
) -> None:
    tune(runtime, login_backoff_free_failures=2, login_backoff_base_seconds=1.0)
    assert await outcome(runtime, password="wrong 1", ip=ATTACKER) == "INVALID_CREDENTIALS"
    assert await outcome(runtime, password="wrong 2", ip=ATTACKER) == "INVALID_CREDENTIALS"
    waits = []
    for n in range(3):
        verified = hashes("verify")
        refused = await outcome(runtime, password=TEST_PASSWORD, ip=ATTACKER)
        assert hashes("verify") == verified  # refused before any hashing
        waits.append(int(refused.split(":")[1]))
        if n < 2:
            await asyncio.sleep(waits[-1] + 0.05)
            assert await outcome(runtime, password=f"again {n}", ip=ATTACKER) == (
                "INVALID_CREDENTIALS"
            )
    assert waits == [1, 2, 4]


async def test_the_delay_is_capped(runtime: Runtime, owner: User) -> None:
    tune(
        runtime,
        login_backoff_free_failures=1,
        login_backoff_base_seconds=100.0,
        login_backoff_max_seconds=150.0,
    )
    assert await outcome(runtime, password="wrong", ip=ATTACKER) == "INVALID_CREDENTIALS"
    assert await outcome(runtime, password="wrong", ip=ATTACKER) == "RATE_LIMITED:100"
    key = runtime.keys.login_attempts("pair", f"{accounts._email_key(OWNER)}:{ATTACKER}")
    await runtime.redis.hset(key, mapping={"n": 30, "ts": str(time.time())})
    assert await outcome(runtime, password="wrong", ip=ATTACKER) == "RATE_LIMITED:150"


async def test_a_success_clears_the_failures_of_its_email_and_address(
    runtime: Runtime, owner: User
) -> None:
    for _ in range(4):
        assert await outcome(runtime, password="typo", ip=HOME) == "INVALID_CREDENTIALS"
    assert await outcome(runtime, password=TEST_PASSWORD, ip=HOME) == "OK"
    answers = [await outcome(runtime, password="typo", ip=HOME) for _ in range(6)]
    assert answers[:5] == ["INVALID_CREDENTIALS"] * 5  # a fresh count after the success
    assert answers[5].startswith("RATE_LIMITED")


async def test_unknown_emails_are_limited_alike(runtime: Runtime) -> None:
    answers = [
        await outcome(runtime, email="nobody@example.com", password="x" * 9, ip=ATTACKER)
        for _ in range(6)
    ]
    assert answers == ["INVALID_CREDENTIALS"] * 5 + [answers[5]]
    assert answers[5].startswith("RATE_LIMITED")


async def test_concurrent_guesses_from_one_address_hash_only_the_free_ones(
    runtime: Runtime, owner: User
) -> None:
    verified = hashes("verify")
    answers = await asyncio.gather(
        *(outcome(runtime, password=f"guess {n}", ip=ATTACKER) for n in range(25))
    )
    assert answers.count("INVALID_CREDENTIALS") == 5
    assert sum(a.startswith("RATE_LIMITED") for a in answers) == 20
    assert hashes("verify") - verified == 5


async def test_the_email_valve_slows_many_addresses_without_locking_anyone_out(
    runtime: Runtime, owner: User
) -> None:
    tune(runtime, login_email_failures=6)
    for n in range(3):  # three addresses, two failures each: the email's budget is spent
        for _ in range(2):
            assert await outcome(runtime, password="guess", ip=f"10.0.0.{n}") == (
                "INVALID_CREDENTIALS"
            )
    # An address that failed before now waits after its single free attempt...
    assert (await outcome(runtime, password="guess", ip="10.0.0.0")).startswith("RATE_LIMITED")
    # ...a new one gets one attempt, then waits...
    assert await outcome(runtime, password="guess", ip="10.0.1.1") == "INVALID_CREDENTIALS"
    assert (await outcome(runtime, password="guess", ip="10.0.1.1")).startswith("RATE_LIMITED")
    # ...and the owner, wherever they are, still gets in at the first attempt.
    assert await outcome(runtime, password=TEST_PASSWORD, ip=HOME) == "OK"
    # Other emails are not affected.
    assert await outcome(runtime, email="bob@example.com", password="guess", ip="10.0.0.0") == (
        "INVALID_CREDENTIALS"
    )


async def test_wrong_old_passwords_are_limited_like_sign_ins(runtime: Runtime, owner: User) -> None:
    async def change(old: str, ip: str) -> str:
        try:
            await accounts.change_password(
                runtime, user_id=owner.id, old_password=old, new_password="another secret!", ip=ip
            )
        except DomainFailure as failure:
            return failure.errors[0].code.value
        except ApiError as error:
            return error.code.value
        return "OK"

    answers = [await change("wrong", ATTACKER) for _ in range(6)]
    assert answers == ["INVALID_CREDENTIALS"] * 5 + ["RATE_LIMITED"]
    assert await change(TEST_PASSWORD, HOME) == "OK"


# --- sign-up --------------------------------------------------------------------------------
async def register(runtime: Runtime, email: str, ip: str) -> str:
    return await answered(accounts.register(runtime, email=email, password=TEST_PASSWORD, ip=ip))


async def test_a_burst_of_sign_ups_from_one_address_is_throttled_without_hashing(
    runtime: Runtime,
) -> None:
    hashed = hashes("hash")
    answers = [await register(runtime, f"bot{n}@example.com", ATTACKER) for n in range(60)]
    assert answers[:5] == ["OK"] * 5  # REGISTER_ATTEMPTS_PER_IP
    assert all(a.startswith("RATE_LIMITED:") for a in answers[5:])
    assert int(answers[5].split(":")[1]) == 720  # one sign-up back every 3600/5 s
    assert hashes("hash") - hashed == 5
    assert await User.all().count() == 5
    assert await register(runtime, "ada@example.com", HOME) == "OK"  # another address


async def test_concurrent_sign_ups_from_one_address_create_exactly_the_allowed_number(
    runtime: Runtime,
) -> None:
    answers = await asyncio.gather(
        *(register(runtime, f"bot{n}@example.com", ATTACKER) for n in range(30))
    )
    assert answers.count("OK") == 5
    assert await User.all().count() == 5


async def test_the_shop_wide_sign_up_cap_holds_across_addresses(runtime: Runtime) -> None:
    tune(runtime, register_attempts_per_minute=4)
    answers = [await register(runtime, f"u{n}@example.com", f"10.1.0.{n}") for n in range(6)]
    assert answers[:4] == ["OK"] * 4
    assert answers[4] == answers[5] == "RATE_LIMITED:15"  # one back every 60/4 s
    assert await User.all().count() == 4


async def test_bad_input_uses_up_no_sign_up_and_a_taken_email_no_hash(runtime: Runtime) -> None:
    for _ in range(10):
        with pytest.raises(DomainFailure):
            await accounts.register(runtime, email="nope", password="short", ip=ATTACKER)
    assert await register(runtime, OWNER, ATTACKER) == "OK"
    hashed = hashes("hash")
    assert await register(runtime, OWNER.upper(), ATTACKER) == ErrorCode.EMAIL_TAKEN.value
    assert hashes("hash") == hashed


async def test_ipv6_neighbours_share_their_network_budget(runtime: Runtime) -> None:
    answers = [
        await register(runtime, f"v6-{n}@example.com", f"2001:db8:7:7::{n + 1:x}") for n in range(6)
    ]
    assert answers[:5] == ["OK"] * 5
    assert answers[5].startswith("RATE_LIMITED")
