"""The HTTP surface of the app: health, readiness, metrics, GraphiQL, protections, masking."""

from __future__ import annotations

import httpx
from redis.asyncio import Redis

from flashmart.accounts.models import Role
from flashmart.core import embedded_redis
from flashmart.core.keys import Keys
from flashmart.core.settings import Settings
from flashmart.worker import create_worker
from tests.backend.helpers import Api, token_for


async def test_healthz(api: Api) -> None:
    response = await api.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["x-request-id"]


async def test_readyz_reports_database_redis_and_the_worker(api: Api, settings: Settings) -> None:
    response = await api.http.get("/readyz")
    assert response.status_code == 200  # a worker is not required: buys wait in the queue
    body = response.json()
    # Reported, not a readiness condition: the test Redis may be an everysec one.
    durability = body["checks"].pop("durability")
    assert durability == "ok" or durability.startswith("warning:")
    assert body == {
        "status": "degraded",
        "checks": {
            "database": "ok",
            "redis": "ok",
            "worker": "unavailable: no health report from a worker",
        },
    }
    # A real worker's first poll writes its health report (kept WORKER_HEALTH_CHECK_INTERVAL).
    worker = create_worker(settings, settings.redis_url or "", burst=True, manage_database=False)
    try:
        await worker.async_run()
        response = await api.http.get("/readyz")
        assert response.status_code == 200
        body = response.json()
        body["checks"].pop("durability")
        assert body == {
            "status": "ok",
            "checks": {"database": "ok", "redis": "ok", "worker": "ok"},
        }
    finally:
        await worker.close()  # removes its health report
    assert (await api.http.get("/readyz")).json()["status"] == "degraded"


async def test_readyz_is_503_while_redis_is_down_and_200_once_it_is_back(
    app_factory, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    server = embedded_redis.start(tmp_path / "own-redis", reuse=False)  # our own, to stop
    app = app_factory(redis_url=server.url)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                assert (await client.get("/readyz")).status_code == 200
                server.kill()
                response = await client.get("/readyz")
                assert response.status_code == 503
                body = response.json()
                assert body["status"] == "unavailable"
                assert body["checks"]["database"] == "ok"
                assert body["checks"]["redis"].startswith("unavailable")
                assert body["checks"]["worker"] == "unknown: redis unavailable"
                server.relaunch()  # same port, same files: the app's clients reconnect
                response = await client.get("/readyz")
                assert response.status_code == 200, response.json()
                assert response.json()["checks"]["redis"] == "ok"
    finally:
        server.stop()


async def test_metrics_count_operations_by_root_field(api: Api) -> None:
    await api.gql("query StorefrontClock { serverTime }")
    response = await api.http.get("/metrics")
    assert response.status_code == 200
    text = response.text
    assert (
        'flashmart_graphql_requests_total{operation="serverTime",outcome="ok",type="query"}' in text
    )
    assert (
        'flashmart_graphql_request_duration_seconds_bucket{le="0.005",operation="serverTime"}'
        in text
    )
    assert "StorefrontClock" not in text  # the client's name is no label


async def test_graphiql_page_is_served_to_browsers(api: Api) -> None:
    response = await api.http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_graphiql_can_be_disabled(app_factory) -> None:  # type: ignore[no-untyped-def]
    app = app_factory(graphiql=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/graphql", headers={"accept": "text/html"})
            assert "graphiql" not in response.text.lower()


async def test_depth_bomb_is_rejected(api: Api) -> None:
    depth = 20
    query = (
        "{ a: products { edges { node { " + "category { " * depth + "id" + " }" * depth + " } } } }"
    )
    body = await api.gql(query)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_alias_bomb_is_rejected(api: Api) -> None:
    query = "{ " + " ".join(f"t{i}: serverTime" for i in range(100)) + " }"
    body = await api.gql(query)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_token_bomb_is_rejected(api: Api) -> None:
    query = "{ " + " ".join("t" for _ in range(3000)) + " }"  # within MAX_QUERY_LENGTH
    body = await api.gql(query)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_oversized_body_is_413(api: Api) -> None:
    padding = "x" * 1_100_000
    response = await api.http.post("/graphql", json={"query": "{ serverTime }", "pad": padding})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_oversized_chunked_body_is_413(api: Api) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(30):
            yield b"x" * 50_000

    response = await api.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_unknown_field_is_bad_user_input(api: Api) -> None:
    body = await api.gql("{ noSuchField }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_internal_error_is_masked(api: Api, redis: Redis, settings, caplog) -> None:  # type: ignore[no-untyped-def]
    # A Redis that answers, but with an error nobody expects: the queue key of the wrong type.
    await redis.set(Keys(settings.redis_prefix).queue, "not a sorted set")
    response = await api.http.post(
        "/graphql",
        json={"query": "{ systemStatus { queueDepth } }"},
        headers={"authorization": f"Bearer {token_for(1, Role.ADMIN)}"},
    )
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text and "WRONGTYPE" not in response.text
    logged = [r for r in caplog.records if r.name == "flashmart.graphql"]
    assert logged and logged[0].exc_info is not None


async def test_invalid_token_is_unauthenticated(api: Api) -> None:
    body = await api.gql("{ serverTime }", token="not-a-jwt")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_admin_field_needs_admin(api: Api, redis: Redis) -> None:
    anonymous = await api.gql("{ systemStatus { queueDepth } }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    shopper = await api.gql("{ systemStatus { queueDepth } }", token=token_for(5))
    assert shopper["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin = await api.gql("{ systemStatus { queueDepth } }", token=token_for(1, Role.ADMIN))
    assert admin["data"]["systemStatus"]["queueDepth"] == 0


async def test_readyz_reports_a_queue_redis_of_its_own(app_factory, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    """QUEUE_REDIS_URL: a `queue` check (required), and the worker's report read there."""
    queue = embedded_redis.start(tmp_path / "queue-redis", reuse=False)  # ours, to stop
    app = app_factory(queue_redis_url=queue.url)
    worker = create_worker(
        settings.model_copy(update={"queue_redis_url": queue.url}), settings.redis_url or "",
        burst=True, manage_database=False,
    )  # fmt: skip
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                await worker.async_run()  # its health report goes to the queue's Redis
                body = (await client.get("/readyz")).json()
                body["checks"].pop("durability")
                assert body == {
                    "status": "ok",
                    "checks": {"database": "ok", "redis": "ok", "queue": "ok", "worker": "ok"},
                }
                await worker.close()  # while its Redis is up (removes its report)
                queue.kill()
                response = await client.get("/readyz")
                assert response.status_code == 503
                checks = response.json()["checks"]
                assert checks["redis"] == "ok" and checks["queue"].startswith("unavailable")
                assert checks["worker"] == "unknown: queue unavailable"
    finally:
        queue.stop()
