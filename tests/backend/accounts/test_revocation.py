"""Revocations are what Redis records: a shopper with no stamp costs no database query, a
revoked token is refused, and a Redis that lost its data is refilled from the database.

Queries are counted where every Tortoise query passes, on SQLite and PostgreSQL alike: the
`execute_*` methods of every database client class (transactions included)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tortoise.backends.base.client import BaseDBAsyncClient

from flashmart.accounts import revocation
from flashmart.accounts import services as accounts
from flashmart.accounts.models import User
from flashmart.accounts.tokens import InvalidToken
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill.events import warm_up
from tests.backend.helpers import TEST_PASSWORD, error_code, token_for
from tests.backend.seckill.factories import eventually, running_worker, sale

BUY = """mutation SeckillBuy($eventId: ID!) {
  seckillBuy(eventId: $eventId) { ticket { id status } userErrors { field message code } }
}"""


def _client_classes() -> Iterator[type[BaseDBAsyncClient]]:
    pending: list[type[BaseDBAsyncClient]] = [BaseDBAsyncClient]
    while pending:
        cls = pending.pop()
        yield cls
        pending += cls.__subclasses__()


@contextlib.contextmanager
def recorded_queries() -> Iterator[list[str]]:
    """Every SQL statement any Tortoise connection runs while the block runs."""
    seen: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        for cls in _client_classes():
            for name, method in list(vars(cls).items()):
                if name.startswith("execute_") and callable(method):
                    patch.setattr(cls, name, _recording(method, seen))
        yield seen


def _recording(
    method: Callable[..., Awaitable[Any]], seen: list[str]
) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def wrapper(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(query))
        return await method(self, query, *args, **kwargs)

    return wrapper


async def _user(email: str) -> User:
    return await User.create(email=email, password_hash="x")


async def _lose_redis_data(runtime: Runtime, *users: User) -> None:
    """What a Redis restart without persistence does to the users' stamps and the marker."""
    stamps = [runtime.keys.user_tokens_valid_after(user.id) for user in users]
    await runtime.redis.delete(runtime.keys.token_stamps_complete, *stamps)


@pytest.mark.parametrize("lane", [True, False], ids=["buy-lane", "generic"])
async def test_a_cold_shopper_buys_without_a_database_query(
    app_factory: Any, runtime: Runtime, lane: bool
) -> None:
    event = await sale(5)
    await warm_up(runtime, event.id)
    shopper, banned = await _user("ann@example.com"), await _user("ben@example.com")
    banned_token = token_for(banned.id)
    await accounts.update_user(runtime, actor_id=0, user_id=banned.id, is_active=False)
    await revocation.sync_stamps(runtime)
    variables = {"eventId": encode_id("SeckillEvent", event.id)}

    app = app_factory(graphql_buy_lane=lane)
    async with app.router.lifespan_context(app):
        stamps = app.state.runtime.stamps
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            # Cold: nothing in this process's memory, nothing in Redis for the shopper.
            assert stamps.get(shopper.id) is None
            assert await runtime.redis.get(runtime.keys.user_tokens_valid_after(shopper.id)) is None
            for token in (token_for(shopper.id), banned_token):
                with recorded_queries() as queries:
                    response = await http.post(
                        "/graphql",
                        json={"query": BUY, "variables": variables},
                        headers={"authorization": f"Bearer {token}"},
                    )
                assert queries == []
                body = response.json()
                if token == banned_token:
                    assert error_code(body) == "UNAUTHENTICATED"
                else:
                    assert body["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED", body
            assert stamps.get(shopper.id) == revocation.NO_STAMP


@pytest.mark.parametrize("lane", [True, False], ids=["buy-lane", "generic"])
async def test_a_verified_only_sale_answers_from_the_token_without_a_database_query(
    app_factory: Any, runtime: Runtime, lane: bool
) -> None:
    event = await sale(5, verified_only=True)
    await warm_up(runtime, event.id)
    shopper = await _user("ann@example.com")
    await User.filter(id=shopper.id).update(email_verified_at=datetime.now(UTC))
    await revocation.sync_stamps(runtime)  # the marker: no stamp means "not revoked"
    variables = {"eventId": encode_id("SeckillEvent", event.id)}
    app = app_factory(graphql_buy_lane=lane)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            answers = []
            # The token issued before the verification, then one that says verified.
            for token in (token_for(shopper.id), token_for(shopper.id, email_verified=True)):
                with recorded_queries() as queries:
                    response = await http.post(
                        "/graphql",
                        json={"query": BUY, "variables": variables},
                        headers={"authorization": f"Bearer {token}"},
                    )
                assert queries == []
                payload = response.json()["data"]["seckillBuy"]
                answers.append(payload["userErrors"][0]["code"] if payload["userErrors"] else "OK")
    assert answers == ["EMAIL_NOT_VERIFIED", "OK"]


async def test_the_query_counter_counts_token_checks_without_the_marker(
    runtime: Runtime,
) -> None:
    user = await _user("kim@example.com")
    token = token_for(user.id)
    with recorded_queries() as queries:
        await revocation.verify_access_token(runtime, token)  # no marker yet: the database
    assert len(queries) == 1
    await revocation.sync_stamps(runtime)
    with recorded_queries() as queries:
        await revocation.verify_access_token(runtime, token)
    assert queries == []


async def test_a_lost_redis_is_refilled_with_the_recent_revocations(runtime: Runtime) -> None:
    lifetime = revocation.stamp_lifetime(runtime.settings)
    banned, old, calm = [await _user(f"{name}@example.com") for name in ("banned", "old", "calm")]
    changed = await accounts.create_user(email="changed@example.com", password=TEST_PASSWORD)
    tokens = {user.id: token_for(user.id) for user in (banned, changed, calm)}
    await accounts.update_user(runtime, actor_id=0, user_id=banned.id, is_active=False)
    await accounts.change_password(
        runtime,
        user_id=changed.id,
        old_password=TEST_PASSWORD,
        new_password="another secret!",
        ip=None,
    )
    # Revoked longer ago than a stamp lifetime: every token issued before has expired.
    long_ago = datetime.now(UTC) - timedelta(seconds=lifetime + 5)
    await User.filter(id=old.id).update(is_active=False, tokens_valid_after=long_ago)
    await revocation.sync_stamps(runtime)

    everyone = (banned, changed, old, calm)
    await _lose_redis_data(runtime, *everyone)
    # Until the sync runs, a check that finds no stamp asks the database.
    with pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, tokens[banned.id])
    await _lose_redis_data(runtime, *everyone)

    assert await revocation.sync_stamps(runtime) == 2
    key = runtime.keys.user_tokens_valid_after
    assert await runtime.redis.get(key(banned.id)) == revocation.INACTIVE
    assert await runtime.redis.get(key(changed.id)) not in (None, revocation.NO_STAMP)
    for user in (banned, changed):
        assert lifetime - 30 < await runtime.redis.ttl(key(user.id)) <= lifetime
    assert await runtime.redis.get(key(old.id)) is None
    assert await runtime.redis.get(key(calm.id)) is None
    with recorded_queries() as queries:
        for user in (banned, changed):
            with pytest.raises(InvalidToken):
                await revocation.verify_access_token(runtime, tokens[user.id])
        await revocation.verify_access_token(runtime, tokens[calm.id])
    assert queries == []
    assert await revocation.sync_stamps(runtime) == 0  # nothing changed since


async def test_a_check_without_the_marker_writes_the_stamp_back(runtime: Runtime) -> None:
    user = await _user("lou@example.com")
    token = token_for(user.id)
    await accounts.update_user(runtime, actor_id=0, user_id=user.id, is_active=False)
    await _lose_redis_data(runtime, user)
    with pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, token)
    key = runtime.keys.user_tokens_valid_after(user.id)
    assert await runtime.redis.get(key) == revocation.INACTIVE
    assert await runtime.redis.get(runtime.keys.token_stamps_complete) is None  # the sync's job


async def test_the_sync_keeps_a_newer_stamp(runtime: Runtime) -> None:
    user = await _user("max@example.com")
    await accounts.update_user(runtime, actor_id=0, user_id=user.id, is_active=False)
    key = runtime.keys.user_tokens_valid_after(user.id)
    # The sync read the row before a newer change committed: it must not undo that change.
    stale = datetime.now(UTC) - timedelta(seconds=10)
    await User.filter(id=user.id).update(is_active=True, tokens_valid_after=stale)
    assert await revocation.sync_stamps(runtime) == 0
    assert await runtime.redis.get(key) == revocation.INACTIVE


async def test_the_sync_brings_a_change_made_without_redis(runtime: Runtime) -> None:
    admin, _ = await accounts.ensure_admin(email="boss@example.com", password=TEST_PASSWORD)
    token = token_for(admin.id)
    await revocation.sync_stamps(runtime)
    await revocation.verify_access_token(runtime, token)
    await accounts.ensure_admin(email="boss@example.com", password="a new admin password")
    await revocation.verify_access_token(runtime, token)  # the CLI told Redis nothing
    assert await revocation.sync_stamps(runtime) == 1
    with pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, token)


async def test_the_worker_refills_a_lost_redis(runtime: Runtime) -> None:
    user = await _user("ned@example.com")
    token = token_for(user.id)
    await accounts.update_user(runtime, actor_id=0, user_id=user.id, is_active=False)
    await _lose_redis_data(runtime, user)
    marker = runtime.keys.token_stamps_complete

    async def restored() -> bool:
        return await runtime.redis.get(marker) is not None

    async with running_worker(runtime):  # the sync also runs when a worker starts
        await eventually(restored, within=20)
    with recorded_queries() as queries, pytest.raises(InvalidToken):
        await revocation.verify_access_token(runtime, token)
    assert queries == []
