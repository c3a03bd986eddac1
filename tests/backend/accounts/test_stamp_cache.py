"""The API process's copy of token stamps in use: a change is seen in this process at once and
in another through pub/sub (tests/backend/core/test_stamps.py tests the copy itself).

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
from flashmart.accounts.services import change_password, create_user, update_user
from flashmart.core.keys import Keys
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from tests.backend.helpers import TEST_PASSWORD, error_code, token_for

ME = {"query": "{ me { id isActive } }"}


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


async def test_every_process_refuses_at_once_a_token_whose_revocation_redis_now_records(
    api_processes: Any, runtime: Runtime, redis: Redis, settings: Settings
) -> None:
    user = await create_user(email="max@example.com", password=TEST_PASSWORD)
    token = token_for(user.id)
    headers = {"authorization": f"Bearer {token}"}
    await revocation.sync_stamps(runtime)  # the steady state: Redis holds every revocation
    keys = Keys(settings.redis_prefix)
    async with (
        api_processes(2) as urls,
        httpx.AsyncClient(timeout=10) as http,
    ):
        for url in urls:
            first = (await http.post(f"{url}/graphql", json=ME, headers=headers)).json()
            assert first["data"]["me"]["isActive"] is True
        assert await redis.get(keys.user_tokens_valid_after(user.id)) is None  # not revoked
        await change_password(
            runtime,
            user_id=user.id,
            old_password=TEST_PASSWORD,
            new_password="a new secret!",
            ip=None,
        )
        for url in urls:
            deadline = time.monotonic() + 2
            while True:
                body = (await http.post(f"{url}/graphql", json=ME, headers=headers)).json()
                if error_code(body) == "UNAUTHENTICATED" or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.01)
            assert error_code(body) == "UNAUTHENTICATED"
