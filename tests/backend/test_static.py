"""The built frontend over real HTTP through the app: cache headers, precompressed variants
chosen by Accept-Encoding, 404s, HEAD, revalidation; and the build step that writes them."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from flashmart.static import IMMUTABLE
from tests.backend.helpers import serving

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "frontend" / "scripts" / "compress.mjs"

INDEX = b"<!doctype html><title>FlashMart</title>" + b"<!-- padding -->" * 100
APP_JS = b"export const sale = 'now';\n" * 200
# Stand-ins: the server must send the sibling file as it is, whatever it holds.
APP_JS_BR = b"brotli bytes of app.js"


def _build(dist: Path) -> None:
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_bytes(INDEX)
    (dist / "index.html.gz").write_bytes(gzip.compress(INDEX))
    (dist / "index.html.br").write_bytes(b"brotli bytes of index.html")
    (dist / "assets" / "app-3f2a9c.js").write_bytes(APP_JS)
    (dist / "assets" / "app-3f2a9c.js.gz").write_bytes(gzip.compress(APP_JS))
    (dist / "assets" / "app-3f2a9c.js.br").write_bytes(APP_JS_BR)
    (dist / "assets" / "tiny-77aa01.css").write_bytes(b"a{}")
    (dist / "favicon.svg").write_bytes(b"<svg/>")


@pytest.fixture
async def site(app_factory: Any, redis: Redis, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    dist = tmp_path / "dist"
    _build(dist)
    async with serving(app_factory(frontend_dist=dist)) as client:
        yield client


async def _raw_get(
    client: httpx.AsyncClient, path: str, accept_encoding: str, method: str = "GET"
) -> tuple[httpx.Response, bytes]:
    """The response and its body exactly as sent (httpx would otherwise decode gzip)."""
    headers = {"accept-encoding": accept_encoding}
    async with client.stream(method, path, headers=headers) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, body


def _vary(response: httpx.Response) -> set[str]:
    """The Vary names (the CORS middleware adds `Origin` to every response)."""
    return {name.strip() for name in response.headers.get("vary", "").split(",") if name.strip()}


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [
        ("gzip, deflate, br", "br"),
        ("br", "br"),
        ("*", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, *", "gzip"),
        ("identity", None),
        ("", None),
        ("gzip;q=0, br;q=0", None),
    ],
)
async def test_asset_variant_follows_accept_encoding(
    site: httpx.AsyncClient, tmp_path: Path, accept_encoding: str, encoding: str | None
) -> None:
    response, body = await _raw_get(site, "/assets/app-3f2a9c.js", accept_encoding)
    assert response.status_code == 200
    suffix = {"br": ".br", "gzip": ".gz", None: ""}[encoding]
    assert body == (tmp_path / "dist" / "assets" / f"app-3f2a9c.js{suffix}").read_bytes()
    assert response.headers["content-length"] == str(len(body))
    assert response.headers.get("content-encoding") == encoding
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "Accept-Encoding" in _vary(response)
    assert response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"


async def test_gzip_variant_decodes_to_the_original(site: httpx.AsyncClient) -> None:
    response = await site.get("/assets/app-3f2a9c.js", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == APP_JS


async def test_file_without_variants_is_sent_as_is(site: httpx.AsyncClient) -> None:
    response, body = await _raw_get(site, "/assets/tiny-77aa01.css", "br, gzip")
    assert response.status_code == 200 and body == b"a{}"
    assert "content-encoding" not in response.headers
    assert "Accept-Encoding" not in _vary(response)
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert response.headers["cache-control"] == IMMUTABLE


@pytest.mark.parametrize("path", ["/", "/index.html", "/flash-sales/3", "/admin/orders"])
async def test_html_is_revalidated(site: httpx.AsyncClient, path: str) -> None:
    response, body = await _raw_get(site, path, "identity")
    assert response.status_code == 200 and body == INDEX
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert "Accept-Encoding" in _vary(response)
    assert response.headers["etag"] and response.headers["last-modified"]

    compressed = await site.get(path, headers={"accept-encoding": "gzip"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert compressed.headers["cache-control"] == "no-cache"
    assert compressed.content == INDEX
    assert compressed.headers["etag"] != response.headers["etag"]  # another representation


async def test_unchanged_html_is_not_sent_again(site: httpx.AsyncClient) -> None:
    first = await site.get("/", headers={"accept-encoding": "br"})
    again = await site.get(
        "/", headers={"accept-encoding": "br", "if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == "no-cache"
    assert "Accept-Encoding" in _vary(again)
    stale = await site.get("/", headers={"accept-encoding": "br", "if-none-match": '"other"'})
    assert stale.status_code == 200


async def test_unhashed_root_file_is_revalidated(site: httpx.AsyncClient) -> None:
    response = await site.get("/favicon.svg")
    assert response.status_code == 200 and response.content == b"<svg/>"
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path", ["/assets/missing-000000.js", "/assets/app-3f2a9c.js.br", "/assets/app-3f2a9c.js.gz"]
)
async def test_unknown_asset_is_404(site: httpx.AsyncClient, path: str) -> None:
    response = await site.get(path, headers={"accept-encoding": "br, gzip"})
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")


@pytest.mark.parametrize(("accept_encoding", "suffix"), [("br", ".br"), ("identity", "")])
async def test_head_sends_the_headers_of_get(
    site: httpx.AsyncClient, tmp_path: Path, accept_encoding: str, suffix: str
) -> None:
    head, body = await _raw_get(site, "/assets/app-3f2a9c.js", accept_encoding, method="HEAD")
    get, _ = await _raw_get(site, "/assets/app-3f2a9c.js", accept_encoding)
    assert head.status_code == 200 and body == b""
    size = (tmp_path / "dist" / "assets" / f"app-3f2a9c.js{suffix}").stat().st_size
    assert head.headers["content-length"] == str(size)
    for name in ("content-type", "content-length", "cache-control", "vary", "etag"):
        assert head.headers[name] == get.headers[name]
    assert head.headers.get("content-encoding") == get.headers.get("content-encoding")


async def test_other_methods_are_not_allowed(site: httpx.AsyncClient) -> None:
    assert (await site.post("/assets/app-3f2a9c.js")).status_code == 405


# --------------------------------------------------------------------------- the build step


def test_build_compresses_after_vite() -> None:
    build = json.loads((REPO / "frontend" / "package.json").read_text())["scripts"]["build"]
    steps = [step.strip() for step in build.split("&&")]
    assert "vite build" in steps
    assert steps[-1] == "node scripts/compress.mjs dist", steps


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_compress_script_writes_siblings_of_large_text_files(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    big = b"const product = { name: 'umbrella', stock: 100 };\n" * 100
    (dist / "assets" / "big-1.js").write_bytes(big)
    (dist / "assets" / "big-1.svg").write_bytes(b"<svg>" + b"<g/>" * 400 + b"</svg>")
    (dist / "index.html").write_bytes(b"<!doctype html>" * 100)
    (dist / "assets" / "small-1.js").write_bytes(b"export {};\n")
    (dist / "assets" / "photo-1.png").write_bytes(bytes(4096))

    for _ in range(2):  # a second run leaves the siblings alone (no `.gz.gz`)
        subprocess.run(["node", str(SCRIPT), str(dist)], check=True, capture_output=True)

    names = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*"))
    assert names == [
        "assets",
        "assets/big-1.js",
        "assets/big-1.js.br",
        "assets/big-1.js.gz",
        "assets/big-1.svg",
        "assets/big-1.svg.br",
        "assets/big-1.svg.gz",
        "assets/photo-1.png",
        "assets/small-1.js",
        "index.html",
        "index.html.br",
        "index.html.gz",
    ]
    assert gzip.decompress((dist / "assets" / "big-1.js.gz").read_bytes()) == big
    unbrotli = (
        "process.stdout.write(require('zlib').brotliDecompressSync("
        "require('fs').readFileSync(process.argv[1])))"
    )
    decoded = subprocess.run(
        ["node", "-e", unbrotli, str(dist / "assets" / "big-1.js.br")],
        check=True,
        capture_output=True,
    ).stdout
    assert decoded == big


REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("GET", "/assets/app-3f2a9c.js", {"accept-encoding": "gzip, deflate, br"}),
    ("GET", "/assets/app-3f2a9c.js", {"accept-encoding": "gzip"}),
    ("GET", "/assets/app-3f2a9c.js", {}),
    ("HEAD", "/assets/app-3f2a9c.js", {"accept-encoding": "br"}),
    ("GET", "/assets/tiny-77aa01.css", {"accept-encoding": "br"}),
    ("GET", "/assets/app-3f2a9c.js", {"origin": "http://localhost:5173"}),
    ("GET", "/assets/app-3f2a9c.js", {"origin": "https://elsewhere.example"}),
    ("GET", "/assets/app-3f2a9c.js", {"accept-encoding": "br", "if-none-match": "*"}),
    ("GET", "/assets/app-3f2a9c.js", {"if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT"}),
    ("GET", "/assets/app-3f2a9c.js", {"if-modified-since": "Thu, 01 Jan 1970 00:00:00 GMT"}),
    ("GET", "/assets/missing-000000.js", {}),
    ("GET", "/index.html", {"accept-encoding": "br"}),
    ("POST", "/assets/app-3f2a9c.js", {}),
]


async def _answers(app: Any) -> list[tuple[int, list[tuple[str, str]], bytes]]:
    out = []
    async with serving(app) as client:
        for method, path, headers in REQUESTS:
            sent = {"x-request-id": "static-lane-test", **headers}
            async with client.stream(method, path, headers=sent) as response:
                body = b"".join([chunk async for chunk in response.aiter_raw()])
            out.append((response.status_code, sorted(response.headers.multi_items()), body))
    return out


async def test_the_asset_lane_answers_exactly_as_the_route(
    app_factory: Any, redis: Redis, tmp_path: Path
) -> None:
    """Assets answered ahead of the middleware (static.AssetLane) get the route's status,
    body and every header, CORS and security headers and the request id included; what the
    lane does not take (a missing asset, the index, another method) goes to the route."""
    dist = tmp_path / "dist"
    _build(dist)
    cors = ["http://localhost:5173"]
    laned = app_factory(frontend_dist=dist, cors_origins=cors)
    routed = app_factory(frontend_dist=dist, cors_origins=cors, static_asset_lane=False)
    assert routed.asset_lane is None
    for got, want in zip(await _answers(laned), await _answers(routed), strict=True):
        assert got[0] == want[0]
        assert got[1] == want[1], set(got[1]) ^ set(want[1])
        assert got[2] == want[2]
    # every existing asset request above went through the lane, nothing else did
    assert laned.asset_lane.served == 10
    statuses = [status for status, _, _ in await _answers(routed)]
    assert statuses == [200, 200, 200, 200, 200, 200, 200, 304, 304, 200, 404, 200, 405]
