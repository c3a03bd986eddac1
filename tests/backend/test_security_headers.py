"""Security headers on every kind of HTTP response: the built frontend, GraphQL (generic and the
buy lane), health, metrics, media, 404s, 405s, 413s and errors; HSTS only over HTTPS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flashmart.core.runtime import Runtime
from flashmart.core.settings import DEFAULT_CONTENT_SECURITY_POLICY, Settings
from flashmart.graphql.ids import encode_id
from flashmart.security_headers import IDE_CDN
from tests.backend.helpers import token_for
from tests.backend.payments.factories import shopper
from tests.backend.seckill.factories import warm_sale

BUY = "mutation($e: ID!) { seckillBuy(eventId: $e) { ticket { status } userErrors { code } } }"
HSTS = "max-age=31536000"


def _build(dist: Path) -> None:
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/app-1a2b3c.js"></script>'
    )
    (dist / "assets" / "app-1a2b3c.js").write_text("export const shop = 1;\n")


async def _boom(request: Request) -> Response:
    raise RuntimeError("an unexpected failure")


@pytest.fixture
async def site(
    app_factory: Any, runtime: Runtime, tmp_path: Path
) -> AsyncIterator[tuple[Any, dict[str, httpx.AsyncClient]]]:
    dist = tmp_path / "dist"
    _build(dist)
    app = app_factory(frontend_dist=dist, graphiql=True)
    app.router.routes.insert(0, Route("/boom", _boom))  # a handler that fails unexpectedly
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://shop.test") as plain,
            httpx.AsyncClient(transport=transport, base_url="https://shop.test") as secure,
        ):
            yield app, {"http": plain, "https": secure}


def _assert_secured(response: httpx.Response, *, https: bool, csp: str | None = None) -> None:
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    headers = response.headers
    assert headers.get("content-security-policy") == (csp or DEFAULT_CONTENT_SECURITY_POLICY), where
    assert "frame-ancestors 'none'" in headers["content-security-policy"], where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", where
    assert headers.get("strict-transport-security") == (HSTS if https else None), where
    for name in ("content-security-policy", "x-frame-options", "strict-transport-security"):
        assert len(headers.get_list(name)) <= 1, f"{where}: {name} twice"


REQUESTS: list[tuple[str, str, dict[str, Any], int]] = [
    ("GET", "/", {}, 200),  # the index
    ("GET", "/admin/orders", {}, 200),  # an SPA route: the index
    ("GET", "/assets/app-1a2b3c.js", {}, 200),
    ("HEAD", "/assets/app-1a2b3c.js", {}, 200),
    ("GET", "/assets/missing-000000.js", {}, 404),
    ("DELETE", "/", {}, 405),
    ("POST", "/graphql", {"json": {"query": "{ serverTime }"}}, 200),
    ("POST", "/graphql", {"json": {"query": "{ nope }"}}, 200),  # a GraphQL error
    ("GET", "/graphql?query=%7BserverTime%7D", {}, 200),
    (
        "POST",
        "/graphql",
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
        400,
    ),
    ("POST", "/graphql", {"content": b"x" * 2_000_000}, 413),
    ("GET", "/healthz", {}, 200),
    ("GET", "/readyz", {}, 200),
    ("GET", "/metrics", {}, 200),
    ("GET", "/media/products/none.webp", {}, 404),
    ("POST", "/payments/sandbox/webhook", {"content": b"{}"}, 400),
    ("GET", "/boom", {}, 500),
]


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize(
    ("method", "path", "options", "status"),
    REQUESTS,
    ids=[f"{m} {p.split('?')[0]} {s}" for m, p, _, s in REQUESTS],
)
async def test_every_kind_of_response_carries_the_headers(
    site: tuple[Any, dict[str, httpx.AsyncClient]],
    scheme: str,
    method: str,
    path: str,
    options: dict[str, Any],
    status: int,
) -> None:
    _, clients = site
    response = await clients[scheme].request(method, path, **options)
    assert response.status_code == status, response.text
    _assert_secured(response, https=scheme == "https")


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_the_buy_lanes_answers_carry_the_headers(
    site: tuple[Any, dict[str, httpx.AsyncClient]], runtime: Runtime, scheme: str
) -> None:
    app, clients = site
    event = await warm_sale(runtime, 3)
    token = token_for((await shopper()).id)
    before = app.buy_lane.answered
    response = await clients[scheme].post(
        "/graphql",
        json={"query": BUY, "variables": {"e": encode_id("SeckillEvent", event.id)}},
        headers={"authorization": f"Bearer {token}"},
    )
    assert app.buy_lane.answered == before + 1, "answered by the lane, not the stack"
    assert response.json()["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"
    _assert_secured(response, https=scheme == "https")


async def test_graphiql_gets_its_own_policy_with_its_cdn_and_inline_script_hash(
    site: tuple[Any, dict[str, httpx.AsyncClient]],
) -> None:
    _, clients = site
    response = await clients["http"].get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" in response.text.lower()
    policy = response.headers["content-security-policy"]
    assert f"script-src 'self' {IDE_CDN} 'sha256-" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    _assert_secured(response, https=False, csp=policy)
    # The CDN allowance is the GraphiQL page's alone.
    page = await clients["http"].get("/")
    assert IDE_CDN not in page.headers["content-security-policy"]


async def test_a_page_that_sets_its_own_policy_keeps_it(
    site: tuple[Any, dict[str, httpx.AsyncClient]],
) -> None:
    _, clients = site
    response = await clients["http"].get("/payments/sandbox/pay/sbx_unknown")
    assert response.status_code == 404
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["referrer-policy"] == "no-referrer"  # the pay page's own
    assert response.headers.get_list("content-security-policy") == [
        response.headers["content-security-policy"]
    ]


async def test_the_headers_follow_the_settings(app_factory: Any, runtime: Runtime) -> None:
    app = app_factory(
        content_security_policy="default-src 'none'; frame-ancestors 'none'",
        referrer_policy="no-referrer",
        hsts_max_age_seconds=0,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://shop.test") as http:
            response = await http.get("/healthz")
    assert (
        response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    )
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in response.headers  # 0: never


def test_header_settings_are_checked(tmp_path: Path) -> None:
    from pydantic import ValidationError

    for bad in (
        {"content_security_policy": "default-src 'self'\r\nx: y"},
        {"referrer_policy": "x"},
    ):
        with pytest.raises(ValidationError):
            Settings(_env_file=None, data_dir=tmp_path, **bad)  # type: ignore[call-arg]
