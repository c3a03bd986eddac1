"""The built frontend as the API process serves it: precompressed, with caching fit for a sale.

Behind the compose nginx this code sees no traffic (nginx serves the build itself,
deploy/nginx.conf); it serves `make run` and the image run on its own. The build is listed
once at start-up: a request looks its path up in a dict, never lists a directory. Hashed
files under `assets/` may be cached for a year (a new build has new names); everything else
(the index, the SPA fallback, unhashed files such as the favicon) is revalidated on every
use (`no-cache`, answered 304 when the ETag still matches). `npm run build` writes `.br` and
`.gz` siblings beside compressible files (frontend/scripts/compress.mjs); the one the
browser accepts is sent as is, so no request compresses anything.

The files (and their siblings) are read into memory at start-up, with their headers built
once: a request for one is a dict lookup and one write, no `stat`, no file read on a thread.
Thousands of shoppers opening the sale page while it sells take that much less CPU from the
buys (`make bench`, the live crowd's page loads). A file above MEMORY_FILE_LIMIT is streamed
from disk instead. The hashed files under `assets/` are answered ahead of the middleware stack
(`AssetLane`, docs/hotpath.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate
from mimetypes import guess_type
from pathlib import Path

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Content-coding → file suffix, in the order the server prefers them when equally accepted.
PRECOMPRESSED = {"br": ".br", "gzip": ".gz"}
_NOT_MODIFIED_HEADERS = ("cache-control", "etag", "vary")
MEMORY_FILE_LIMIT = 8 * 1024 * 1024  # bytes; larger files are streamed from disk


@dataclass(frozen=True, slots=True)
class Representation:
    """One file as sent: its bytes (None: streamed from `path`) and its headers, built once."""

    path: Path
    body: bytes | None
    headers: dict[str, str]
    etag: str
    last_modified: str


@dataclass(frozen=True, slots=True)
class BuiltFile:
    path: Path
    media_type: str
    cache_control: str
    variants: dict[str, Path]  # content-coding → precompressed sibling
    # content-coding ("" for the file itself) → what is sent; filled by `load`
    sent: dict[str, Representation] = field(default_factory=dict)

    def load(self) -> None:
        """Read the file and its variants, and build their headers (at start-up)."""
        for coding, path in (("", self.path), *self.variants.items()):
            stat = path.stat()
            # The validators starlette's FileResponse gives the same file.
            digest = hashlib.md5(f"{stat.st_mtime}-{stat.st_size}".encode(), usedforsecurity=False)
            etag = f'"{digest.hexdigest()}"'
            modified = formatdate(stat.st_mtime, usegmt=True)
            headers = {"cache-control": self.cache_control, "etag": etag, "last-modified": modified}
            if self.variants:
                headers["vary"] = "Accept-Encoding"
            if coding:
                headers["content-encoding"] = coding
            body = path.read_bytes() if stat.st_size <= MEMORY_FILE_LIMIT else None
            self.sent[coding] = Representation(path, body, headers, etag, modified)


def scan(dist: Path) -> dict[str, BuiltFile]:
    """Every servable file of the build by its URL path (`assets/index-3f2a.js`), loaded
    (`BuiltFile.load`); the precompressed siblings become variants of their original, not
    files of their own."""
    listed = {p.relative_to(dist).as_posix(): p for p in dist.rglob("*") if p.is_file()}
    sibling_of = {name + suffix: name for name in listed for suffix in PRECOMPRESSED.values()}
    files: dict[str, BuiltFile] = {}
    for name, path in listed.items():
        if name in sibling_of:
            continue
        file = files[name] = BuiltFile(
            path=path,
            media_type=guess_type(name)[0] or "application/octet-stream",
            cache_control=IMMUTABLE if name.startswith("assets/") else REVALIDATE,
            variants={
                coding: listed[name + suffix]
                for coding, suffix in PRECOMPRESSED.items()
                if name + suffix in listed
            },
        )
        file.load()
    return files


def negotiate(accept_encoding: str | None, offered: Collection[str]) -> str | None:
    """The offered content-coding the client accepts with the highest q-value (ties go to
    the first in PRECOMPRESSED order); None: send the file itself (identity)."""
    if not accept_encoding or not offered:
        return None
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[coding.lower()] = q
    chosen, chosen_q = None, 0.0
    for coding in PRECOMPRESSED:
        q = weights.get(coding, weights.get("*", 0.0))
        if coding in offered and q > chosen_q:
            chosen, chosen_q = coding, q
    return chosen


def _not_modified(sent: Representation, request: Headers) -> bool:
    if if_none_match := request.get("if-none-match"):
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return sent.etag in tags or "*" in tags
    since = parsedate(request.get("if-modified-since", ""))
    modified = parsedate(sent.last_modified)
    return since is not None and modified is not None and since >= modified


async def _send(request: Request, file: BuiltFile) -> Response:
    coding = negotiate(request.headers.get("accept-encoding"), file.variants)
    sent = file.sent[coding or ""]
    if _not_modified(sent, request.headers):
        kept = {k: v for k, v in sent.headers.items() if k in _NOT_MODIFIED_HEADERS}
        return Response(status_code=304, headers=kept)
    if sent.body is None:
        return FileResponse(sent.path, media_type=file.media_type, headers=sent.headers)
    body = b"" if request.method == "HEAD" else sent.body
    response = Response(body, media_type=file.media_type, headers=sent.headers)
    if not body:
        response.headers["content-length"] = str(len(sent.body))
    return response


RawHeaders = list[tuple[bytes, bytes]]


class AssetLane:
    """The build's hashed `/assets/…` files answered in front of the middleware stack.

    A first visit of the sale page fetches a score of these while the sale sells; through
    Starlette's middleware, router and `Response` each cost the API process about as much CPU
    as a buy (`make bench`, the live crowd's page loads). `FlashMartApp` offers every GET or
    HEAD to `find`; for an exact hit held in memory, `answer` sends what the route would: the
    same status, body and headers, taken from Starlette's own `Response` built once per file,
    coding and method (`Prepared`), with the 304 rule of `_not_modified`. The app adds what
    the stack adds (request id, CORS, security headers, the request metric and access log).
    Everything else — the index, the SPA fallback, a missing asset (404), a file streamed
    from disk — goes through the route. tests/backend/test_static.py compares both answers.
    """

    def __init__(self, files: dict[str, BuiltFile]) -> None:
        self.served = 0  # requests answered here (tests read it)
        self.files = {
            name: Prepared(file)
            for name, file in files.items()
            if name.startswith("assets/") and all(r.body is not None for r in file.sent.values())
        }

    def find(self, scope: Scope) -> Prepared | None:
        """The asset a GET or HEAD without a body names, else None (the stack answers)."""
        if scope["method"] not in ("GET", "HEAD") or scope.get("root_path"):
            return None
        path: str = scope["path"]
        if not path.startswith("/assets/"):
            return None
        found = self.files.get(path[1:])
        if found is not None and any(n in _BODY_HEADERS for n, _ in scope["headers"]):
            return None  # the stack's body limit decides about a request with a body
        return found

    async def answer(self, scope: Scope, prepared: Prepared, send: Send) -> int:
        """Send `prepared` as the route would for this request; the status sent."""
        self.served += 1
        accept = if_none_match = if_modified_since = None
        for name, value in scope["headers"]:  # the first of each, as Starlette's Headers.get
            if name == b"accept-encoding" and accept is None:
                accept = value.decode("latin-1")
            elif name == b"if-none-match" and if_none_match is None:
                if_none_match = value
            elif name == b"if-modified-since" and if_modified_since is None:
                if_modified_since = value
        coding = negotiate(accept, prepared.file.variants) or ""
        sent = prepared.file.sent[coding]
        conditional = if_none_match is not None or if_modified_since is not None
        if conditional and _not_modified(sent, Headers(scope=scope)):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [*prepared.not_modified[coding]],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return 304
        head = scope["method"] == "HEAD"
        headers = prepared.head[coding] if head else prepared.get[coding]
        await send({"type": "http.response.start", "status": 200, "headers": [*headers]})
        await send({"type": "http.response.body", "body": b"" if head else sent.body or b""})
        return 200


_BODY_HEADERS = (b"content-length", b"transfer-encoding")


class Prepared:
    """One asset's raw response headers per content-coding, for GET, HEAD and 304, as
    `_send` makes them (built with the same Starlette `Response`s, once)."""

    def __init__(self, file: BuiltFile) -> None:
        self.file = file
        self.get: dict[str, RawHeaders] = {}
        self.head: dict[str, RawHeaders] = {}
        self.not_modified: dict[str, RawHeaders] = {}
        for coding, sent in file.sent.items():
            body = sent.body or b""
            self.get[coding] = Response(
                body, media_type=file.media_type, headers=sent.headers
            ).raw_headers
            head = Response(b"", media_type=file.media_type, headers=sent.headers)
            head.headers["content-length"] = str(len(body))
            self.head[coding] = head.raw_headers
            kept = {k: v for k, v in sent.headers.items() if k in _NOT_MODIFIED_HEADERS}
            self.not_modified[coding] = Response(status_code=304, headers=kept).raw_headers


def frontend(dist: Path) -> tuple[list[BaseRoute], AssetLane | None]:
    """The build's route (`frontend_routes`) and its asset lane (None without a build), over
    one scan of `dist`."""
    if not (dist / "index.html").exists():
        return frontend_routes(dist), None
    files = scan(dist)
    return frontend_routes(dist, files), AssetLane(files)


def frontend_routes(dist: Path, files: dict[str, BuiltFile] | None = None) -> list[BaseRoute]:
    """One GET/HEAD route for the whole build: a known file, 404 under `/assets/`, and the
    index for any other path (the SPA's router decides what it shows). `files`: `scan(dist)`
    when the caller has it."""
    if not (dist / "index.html").exists():

        async def missing(request: Request) -> Response:
            return PlainTextResponse(
                "The frontend is not built. Run `make run` (or `npm run build` in frontend/).",
                status_code=404,
            )

        return [Route("/{path:path}", missing)]

    files = scan(dist) if files is None else files
    index = files["index.html"]

    async def serve(request: Request) -> Response:
        name: str = request.path_params["path"]
        found = files.get(name)
        if found is not None:
            return await _send(request, found)
        if name.startswith("assets/"):
            return PlainTextResponse("Not Found", status_code=404)
        return await _send(request, index)

    return [Route("/{path:path}", serve, methods=["GET", "HEAD"])]
