"""During an outage every request answers the retryable SERVICE_UNAVAILABLE (with retryAfter and
a Retry-After header), never INTERNAL_SERVER_ERROR, fast, and the shop serves again once the
dependency is back. Redis is a private redis-server each test may stall or kill; the database
is a closed port, or this test's own PostgreSQL database with its connections terminated."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest
import redis as sync_redis
from redis.asyncio import Redis
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from flashmart.accounts.models import User
from flashmart.app import create_app
from flashmart.core import embedded_redis
from flashmart.core.breaker import DATABASE, State
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from flashmart.seckill.events import warm_up
from tests.backend.helpers import serving, token_for
from tests.backend.live_server import live_server
from tests.backend.seckill.factories import sale, shoppers
from tests.backend.subscriptions.conftest import ws_url

BUY = """
mutation Buy($e: ID!) {
  seckillBuy(eventId: $e) { ticket { id status } userErrors { code } }
}
"""
ME = "{ me { id email } }"
WATCH_SALE = "subscription($id: ID!) { seckillEventUpdated(id: $id) { id remainingStock } }"
OUTAGE_SETTINGS: dict[str, Any] = {
    "redis_socket_timeout_seconds": 0.5,
    "redis_connect_timeout_seconds": 0.5,
    "breaker_failure_threshold": 3,
    "breaker_open_seconds": 1.0,
    # rate limits out of the way: many buys in a second
    "seckill_user_rate": 1000.0,
    "seckill_user_burst": 1000,
    "seckill_ip_rate": 1_000_000.0,
    "seckill_ip_burst": 1_000_000,
}


async def _post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None
) -> tuple[dict[str, Any], httpx.Headers]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text  # top-level errors: HTTP 200, as ever
    body: dict[str, Any] = response.json()
    return body, response.headers


def _assert_unavailable(
    body: dict[str, Any], headers: httpx.Headers, *, whole: bool = True
) -> None:
    """SERVICE_UNAVAILABLE; `whole`: for the whole request (else for a nullable field)."""
    if whole:
        assert body["data"] is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE", body
    retry_after = error["extensions"]["retryAfter"]
    assert isinstance(retry_after, int) and retry_after >= 1
    assert headers["retry-after"] == str(retry_after)
    assert error["message"] == f"Service temporarily unavailable; retry in {retry_after} s"


def _stall(url: str, seconds: float) -> threading.Thread:
    """DEBUG SLEEP on our private server, sent from a connection of its own."""
    client = sync_redis.Redis.from_url(url)
    thread = threading.Thread(target=client.execute_command, args=("DEBUG", "SLEEP", seconds))
    thread.start()
    time.sleep(0.1)  # it is asleep now
    return thread


async def _buy(client: httpx.AsyncClient, event: str, user: User) -> tuple[dict[str, Any], Any]:
    return await _post(client, BUY, {"e": event}, token_for(user.id))


def _queued(body: dict[str, Any]) -> bool:
    data = body.get("data") or {}
    ticket = (data.get("seckillBuy") or {}).get("ticket")
    return bool(ticket) and ticket["status"] == "QUEUED"


async def test_a_stalled_redis_answers_buys_service_unavailable_fast(
    app_factory: Any, tmp_path: Path
) -> None:
    server = embedded_redis.start(tmp_path / "own-redis", reuse=False)  # ours, to stall
    app = app_factory(redis_url=server.url, **OUTAGE_SETTINGS)
    try:
        async with serving(app, "http://t") as client:
            runtime = app.state.runtime
            event = await sale(100)
            await warm_up(runtime, event.id)
            gid = encode_id("SeckillEvent", event.id)
            users = await shoppers(32)
            body, _ = await _buy(client, gid, users[0])
            assert _queued(body), body

            sleeper = _stall(server.url, 3)
            started = time.monotonic()
            stalled = await asyncio.gather(*(_buy(client, gid, u) for u in users[1:21]))
            elapsed = time.monotonic() - started
            for body, headers in stalled:
                _assert_unavailable(body, headers)
            assert elapsed < 1.5, elapsed  # the 0.5 s timeout, not the 3 s sleep
            assert runtime.redis.breaker.state is State.OPEN

            started = time.monotonic()
            body, headers = await _buy(client, gid, users[21])  # the breaker answers
            assert time.monotonic() - started < 0.25  # without waiting for Redis (0.5 s)
            _assert_unavailable(body, headers)
            assert app.buy_lane.answered >= 22  # all of them in the buy lane
            exposed = (await client.get("/metrics")).text
            assert 'flashmart_breaker_open{dependency="redis"} 1.0' in exposed

            await asyncio.to_thread(sleeper.join)
            await asyncio.sleep(1.1)  # the breaker's open period
            body, _ = await _buy(client, gid, users[22])  # the trial
            assert _queued(body), body
            assert runtime.redis.breaker.state is State.CLOSED
            exposed = (await client.get("/metrics")).text
            assert 'flashmart_breaker_open{dependency="redis"} 0.0' in exposed
            for user in users[23:26]:
                body, _ = await _buy(client, gid, user)
                assert _queued(body), body
    finally:
        server.stop()


async def test_a_killed_redis_answers_service_unavailable_and_buys_resume_after_restart(
    app_factory: Any, tmp_path: Path
) -> None:
    workdir = tmp_path / "own-redis"
    server = embedded_redis.start(workdir, reuse=False)  # ours, to kill
    port = int(urlsplit(server.url).port or 0)
    restarted: embedded_redis.EmbeddedRedis | None = None
    # Every write on disk before it is acknowledged: the restart loses nothing of the sale.
    sync_redis.Redis.from_url(server.url).config_set("appendfsync", "always")
    app = app_factory(redis_url=server.url, **OUTAGE_SETTINGS)
    try:
        async with serving(app, "http://t") as client:
            runtime = app.state.runtime
            event = await sale(50)
            await warm_up(runtime, event.id)
            gid = encode_id("SeckillEvent", event.id)
            users = await shoppers(40)
            body, _ = await _buy(client, gid, users[0])
            assert _queued(body), body

            assert server.process is not None
            server.process.kill()  # SIGKILL
            server.process.wait()
            down = await asyncio.gather(*(_buy(client, gid, u) for u in users[1:11]))
            down += [await _buy(client, gid, u) for u in users[11:16]]
            for body, headers in down:
                _assert_unavailable(body, headers)
            assert "INTERNAL_SERVER_ERROR" not in str(down)
            # Other requests that need Redis answer the same (generic execution, not the lane).
            body, headers = await _post(
                client,
                "query($id: ID!) { seckillEvent(id: $id) { remainingStock } }",
                {"id": gid},
                None,
            )
            assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", body

            restarted = embedded_redis.start(workdir, reuse=False, port=port)
            deadline = time.monotonic() + 10
            while True:  # the breaker lets a trial through once its open period is over
                body, headers = await _buy(client, gid, users[16])
                if _queued(body):
                    break
                _assert_unavailable(body, headers)
                assert time.monotonic() < deadline, "buys did not resume"
                await asyncio.sleep(0.2)
            assert runtime.redis.breaker.state is State.CLOSED
            for user in users[17:20]:
                body, _ = await _buy(client, gid, user)
                assert _queued(body), body
            sold = (await _post(
                client,
                "query($id: ID!) { seckillEvent(id: $id) { remainingStock } }",
                {"id": gid},
                None,
            ))[0]["data"]["seckillEvent"]["remainingStock"]  # fmt: skip
            assert sold == 50 - 5  # the buy before the kill survived it; four after
    finally:
        if restarted is not None:
            restarted.stop()
        server.stop()


@contextlib.asynccontextmanager
async def _app_on_database(
    settings: Settings, url: str, *, manage_database: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(
            update={"database_url": url, "database_connect_timeout_seconds": 0.5, **OUTAGE_SETTINGS}
        ),
        manage_database=manage_database,
    )
    async with serving(app, "http://t") as client:
        yield client


async def test_a_database_that_is_down_answers_service_unavailable(
    settings: Settings, redis: Redis
) -> None:
    # Nothing listens on port 1: every connection attempt is refused.
    async with _app_on_database(settings, "postgres://postgres@127.0.0.1:1/flashmart") as client:
        token = token_for(1)
        answers = [await _post(client, ME, {}, token) for _ in range(3)]  # the token check
        answers.append(await _post(client, "{ products(first: 1) { totalCount } }", {}, None))
        buy = await _post(client, BUY, {"e": encode_id("SeckillEvent", 1)}, token)  # buy lane
        for body, headers in [*answers, buy]:
            _assert_unavailable(body, headers)
        assert DATABASE.state is State.OPEN
        started = time.monotonic()
        body, headers = await _post(client, ME, {}, token)
        assert time.monotonic() - started < 0.25
        _assert_unavailable(body, headers)


async def test_terminated_database_connections_never_answer_internal_errors(
    settings: Settings, db: None, redis: Redis
) -> None:
    if settings.is_sqlite:
        pytest.skip("PostgreSQL only: terminates this test database's own connections")
    users = await shoppers(5)
    dsn = settings.database_url.replace("postgres://", "postgresql://", 1)
    async with _app_on_database(settings, settings.database_url, manage_database=False) as client:
        body, _ = await _post(client, ME, {}, token_for(users[0].id))
        assert body["data"]["me"]["email"] == users[0].email
        admin = await asyncpg.connect(dsn)
        try:
            seen: list[str] = []
            for _ in range(5):
                queries = [
                    asyncio.create_task(_post(client, ME, {}, token_for(u.id))) for u in users
                ]
                await admin.execute(  # this test's database only, never our own connection
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                for body, headers in await asyncio.gather(*queries):
                    if body.get("errors"):
                        _assert_unavailable(body, headers, whole=False)
                        seen.append("SERVICE_UNAVAILABLE")
                    else:
                        seen.append("ok")
        finally:
            await admin.close()
        deadline = time.monotonic() + 10
        while True:  # the pool connects again; the breaker closes after its trial
            body, _ = await _post(client, ME, {}, token_for(users[1].id))
            if not body.get("errors"):
                break
            assert time.monotonic() < deadline, body
            await asyncio.sleep(0.2)
        assert body["data"]["me"]["email"] == users[1].email
        assert set(seen) <= {"ok", "SERVICE_UNAVAILABLE"}
        assert "SERVICE_UNAVAILABLE" in seen  # the terminations did reach requests


async def test_a_live_sale_subscription_meets_a_database_that_is_down_with_a_retryable_error(
    settings: Settings, redis: Redis
) -> None:
    """The live-sale lane looks the sale up before it streams: an outage there answers the
    protocol's `error` message with SERVICE_UNAVAILABLE, and the socket stays usable."""
    app = create_app(
        settings.model_copy(update={"database_url": "postgres://postgres@127.0.0.1:1/flashmart"})
    )
    async with live_server(lambda _: app, ws="websockets-sansio", stop_timeout=15) as base_url:
        url = ws_url(base_url)
        async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            for attempt in ("1", "2"):
                await ws.send(json.dumps({
                    "id": attempt, "type": "subscribe",
                    "payload": {"query": WATCH_SALE, "variables": {"id": encode_id("SeckillEvent", 1)}},
                }))  # fmt: skip
                while (message := json.loads(await asyncio.wait_for(ws.recv(), 10)))[
                    "type"
                ] == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                assert message["type"] == "error" and message["id"] == attempt, message
                [error] = message["payload"]
                assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
                assert error["extensions"]["retryAfter"] >= 1
        # A token whose check needs the database (this test's Redis has no stamps yet): the
        # socket is refused at once, as when a connection slot cannot be taken.
        async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            init = {"authorization": f"Bearer {token_for(1)}"}
            await ws.send(json.dumps({"type": "connection_init", "payload": init}))
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
