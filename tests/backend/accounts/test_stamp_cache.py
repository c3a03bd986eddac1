"""The API process's copy of token stamps: reused while it cannot be stale, dropped on change.

The cross-process test runs a real `flashmart serve` in a separate process, so the only way a
change made here can reach its copy is Redis pub/sub."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from redis.asyncio import Redis

from flashmart.accounts import revocation
from flashmart.accounts.models import User
from flashmart.accounts.revocation import StampCache
from flashmart.accounts.services import update_user
from flashmart.core.keys import Keys
from flashmart.core.pubsub import RECONNECTED
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from tests.backend.helpers import error_code, token_for

ME = {"query": "{ me { id isActive } }"}


def _live_cache(ttl: float = 60) -> StampCache:
    cache = StampCache(ttl=ttl)
    cache.live = lambda: True
    return cache


def test_a_read_racing_a_change_is_not_kept() -> None:
    cache = _live_cache()
    generation = cache.generation
    cache.forget(7)  # a change lands while the read of user 7's stamp is on its way
    cache.put(7, b"0", generation=generation)
    assert cache.get(7) is None
    cache.put(7, b"1.5", generation=cache.generation)
    assert cache.get(7) == b"1.5"


def test_entries_expire_and_messages_drop_them() -> None:
    cache = _live_cache(ttl=0.05)
    cache.put(1, b"0", generation=cache.generation)
    cache.put(2, b"0", generation=cache.generation)
    cache.on_message(b"1")
    assert cache.get(1) is None and cache.get(2) == b"0"
    time.sleep(0.06)
    assert cache.get(2) is None
    cache = _live_cache()
    cache.put(3, b"0", generation=cache.generation)
    cache.on_message(RECONNECTED)  # messages may have been missed: trust nothing
    assert len(cache) == 0
    cache.put(4, b"0", generation=cache.generation)
    cache.on_message(b"garbage")
    assert len(cache) == 0


def test_nothing_is_used_or_kept_while_pub_sub_is_down() -> None:
    cache = _live_cache()
    cache.put(1, b"0", generation=cache.generation)
    cache.live = lambda: False
    assert cache.get(1) is None
    cache.put(2, b"0", generation=cache.generation)
    cache.live = lambda: True
    assert cache.get(2) is None and cache.get(1) == b"0"
    off = StampCache(ttl=0)
    off.live = lambda: True
    off.put(1, b"0", generation=off.generation)
    assert off.get(1) is None


async def test_the_api_reads_each_stamp_once_and_a_change_in_this_process_is_seen_at_once(
    app_factory: object, runtime: Runtime, redis: Redis, settings: Settings
) -> None:
    from tests.backend.helpers import Api

    user = await User.create(email="kim@example.com", password_hash="x")
    token = token_for(user.id)
    app = app_factory()  # type: ignore[operator]
    async with app.router.lifespan_context(app):
        stamps = app.state.runtime.stamps
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            api = Api(http)
            assert (await api.gql(ME["query"], token=token))["data"]["me"]["isActive"] is True
            assert stamps.get(user.id) == revocation.NO_STAMP
            await update_user(runtime, actor_id=0, user_id=user.id, is_active=False)
            assert stamps.get(user.id) is None  # dropped before the writer returned
            refused = await api.gql(ME["query"], token=token)
            assert error_code(refused) == "UNAUTHENTICATED"


async def test_another_process_stops_accepting_a_revoked_token_through_pub_sub(
    api_processes: Any, runtime: Runtime, redis: Redis, settings: Settings
) -> None:
    user = await User.create(email="lee@example.com", password_hash="x")
    token = token_for(user.id)
    headers = {"authorization": f"Bearer {token}"}
    async with (
        api_processes(1) as [base_url],
        httpx.AsyncClient(base_url=base_url, timeout=10) as http,
    ):
        first = (await http.post("/graphql", json=ME, headers=headers)).json()
        assert first["data"]["me"]["isActive"] is True
        # Its copy is in use: a stamp written without the announcement is not read yet.
        keys = Keys(settings.redis_prefix)
        await redis.set(keys.user_tokens_valid_after(user.id), revocation.INACTIVE, ex=300)
        still = (await http.post("/graphql", json=ME, headers=headers)).json()
        assert still["data"]["me"]["isActive"] is True
        # A real change (database, Redis, announcement) reaches it within the delivery time.
        await update_user(runtime, actor_id=0, user_id=user.id, is_active=False)
        deadline = time.monotonic() + 2
        while True:
            body = (await http.post("/graphql", json=ME, headers=headers)).json()
            if error_code(body) == "UNAUTHENTICATED" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.01)
        assert error_code(body) == "UNAUTHENTICATED"
