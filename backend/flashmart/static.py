"""The built frontend as the API process serves it: precompressed, with caching fit for a sale.

Behind the compose nginx this code sees no traffic (nginx serves the build itself,
deploy/nginx.conf); it serves `make run` and the image run on its own. The build is listed
once at start-up: a request looks its path up in a dict, never lists a directory. Hashed
files under `assets/` may be cached for a year (a new build has new names); everything else
(the index, the SPA fallback, unhashed files such as the favicon) is revalidated on every
use (`no-cache`, answered 304 when the ETag still matches). `npm run build` writes `.br` and
`.gz` siblings beside compressible files (frontend/scripts/compress.mjs); the one the
browser accepts is sent as is, so no request compresses anything.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from email.utils import parsedate
from mimetypes import guess_type
from pathlib import Path

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Content-coding → file suffix, in the order the server prefers them when equally accepted.
PRECOMPRESSED = {"br": ".br", "gzip": ".gz"}
_NOT_MODIFIED_HEADERS = ("cache-control", "etag", "vary")


@dataclass(frozen=True, slots=True)
class BuiltFile:
    path: Path
    media_type: str
    cache_control: str
    variants: dict[str, Path]  # content-coding → precompressed sibling


def scan(dist: Path) -> dict[str, BuiltFile]:
    """Every servable file of the build by its URL path (`assets/index-3f2a.js`); the
    precompressed siblings become variants of their original, not files of their own."""
    listed = {p.relative_to(dist).as_posix(): p for p in dist.rglob("*") if p.is_file()}
    sibling_of = {name + suffix: name for name in listed for suffix in PRECOMPRESSED.values()}
    files: dict[str, BuiltFile] = {}
    for name, path in listed.items():
        if name in sibling_of:
            continue
        files[name] = BuiltFile(
            path=path,
            media_type=guess_type(name)[0] or "application/octet-stream",
            cache_control=IMMUTABLE if name.startswith("assets/") else REVALIDATE,
            variants={
                coding: listed[name + suffix]
                for coding, suffix in PRECOMPRESSED.items()
                if name + suffix in listed
            },
        )
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


def _not_modified(response: Headers, request: Headers) -> bool:
    if if_none_match := request.get("if-none-match"):
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return response["etag"] in tags or "*" in tags
    since = parsedate(request.get("if-modified-since", ""))
    modified = parsedate(response["last-modified"])
    return since is not None and modified is not None and since >= modified


async def _send(request: Request, file: BuiltFile) -> Response:
    coding = negotiate(request.headers.get("accept-encoding"), file.variants)
    path = file.variants[coding] if coding else file.path
    headers = {"cache-control": file.cache_control}
    if file.variants:
        headers["vary"] = "Accept-Encoding"
    if coding:
        headers["content-encoding"] = coding
    stat = await anyio.to_thread.run_sync(os.stat, path)
    response = FileResponse(path, media_type=file.media_type, headers=headers, stat_result=stat)
    if _not_modified(response.headers, request.headers):
        kept = {k: v for k, v in response.headers.items() if k in _NOT_MODIFIED_HEADERS}
        return Response(status_code=304, headers=kept)
    return response


def frontend_routes(dist: Path) -> list[BaseRoute]:
    """One GET/HEAD route for the whole build: a known file, 404 under `/assets/`, and the
    index for any other path (the SPA's router decides what it shows)."""
    if not (dist / "index.html").exists():

        async def missing(request: Request) -> Response:
            return PlainTextResponse(
                "The frontend is not built. Run `make run` (or `npm run build` in frontend/).",
                status_code=404,
            )

        return [Route("/{path:path}", missing)]

    files = scan(dist)
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
