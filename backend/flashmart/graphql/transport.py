"""GraphQL over HTTP: media types, request parameters and status codes.

One module for what the GraphQL-over-HTTP specification asks of `/graphql` (docs/security.md,
"GraphQL over HTTP"), shared by the Strawberry view (`view.py`) and the buy lane
(`fastlane.py`) so both read requests and shape responses alike:

- `negotiate` picks the response media type from `Accept`: `application/graphql-response+json`
  or `application/json` (the default without `Accept`, and for `*/*`), or None (406).
- `body_kind`, `decode_json`, `query_params` and `request_params` turn a POST body or a GET
  query string into the request's parameters, or raise `RequestError` (4xx) for a request that
  is not a well-formed GraphQL-over-HTTP request.
- `reply` encodes a GraphQL response with its status and headers. With `application/json`
  every GraphQL response is 200 (the legacy rules); with `application/graphql-response+json` a
  response without `data` (a request error: the document did not parse or validate, the
  variables did not coerce, the operation could not be chosen, the token was refused, a
  dependency was down before execution) gets a 4xx or 5xx status (`status_of`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from flashmart.core.errors import TopLevelCode
from flashmart.graphql.error_mapping import retry_after_header


@dataclass(frozen=True, slots=True)
class MediaType:
    name: str
    content_type: str  # the response's Content-Type header

    @property
    def graphql_response(self) -> bool:
        return self.name == GRAPHQL_RESPONSE.name


# JSON has no charset parameter (RFC 8259), and `application/json` answers as before.
APPLICATION_JSON = MediaType("application/json", "application/json")
GRAPHQL_RESPONSE = MediaType(
    "application/graphql-response+json", "application/graphql-response+json; charset=utf-8"
)
# Wildcards (`*/*`, `application/*`) and ties of equal preference choose the first.
SUPPORTED = (APPLICATION_JSON, GRAPHQL_RESPONSE)
UTF8 = frozenset({"utf-8", "utf8"})


class RequestError(HTTPException):
    """A request that is not a well-formed GraphQL-over-HTTP request (or that asks for a media
    type we cannot serve): answered with `status` and one top-level error, before any GraphQL
    work."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(status, message)
        self.headers = headers or {}


# --- Accept ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Range:
    kind: str
    subtype: str
    q: float
    position: int
    utf8: bool  # no charset parameter, or UTF-8

    def specificity(self, media: MediaType) -> int:
        """2 for an exact match, 1 for `type/*`, 0 for `*/*`, -1 when it does not match."""
        kind, subtype = media.name.split("/")
        if self.kind == "*":
            return 0
        if self.kind != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == subtype else -1


def _ranges(accept: str) -> list[_Range]:
    found = []
    for position, item in enumerate(accept.split(",")):
        name, *params = (part.strip() for part in item.split(";"))
        kind, slash, subtype = name.lower().partition("/")
        if not slash or not kind or not subtype or (kind == "*" and subtype != "*"):
            continue  # not a media range: ignored
        q, utf8 = 1.0, True
        for param in params:
            key, _, value = param.partition("=")
            key, value = key.strip().lower(), value.strip().strip('"').lower()
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
            elif key == "charset":
                utf8 = value in UTF8
        if 0 <= q <= 1:
            found.append(_Range(kind, subtype, q, position, utf8))
    return found


def negotiate(accept: str | None) -> MediaType | None:
    """The response media type for this `Accept` header (RFC 9110, section 12.5.1: the most
    specific range that matches a type gives its quality), or None when neither is acceptable.
    No `Accept` (or an empty one) means `application/json`."""
    if accept is None or not accept.strip():
        return APPLICATION_JSON
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for media in SUPPORTED:
        matching = [(r.specificity(media), -r.position, r) for r in ranges]
        matching = [m for m in matching if m[0] >= 0]
        if not matching:
            continue
        specificity, order, closest = max(matching, key=lambda m: (m[0], m[1]))
        if closest.q <= 0 or not closest.utf8:
            continue
        rank = (closest.q, specificity, order)
        if best is None or rank > best:
            best, chosen = rank, media
    return chosen


def not_acceptable() -> RequestError:
    names = " or ".join(m.name for m in reversed(SUPPORTED))
    return RequestError(
        406, f"This endpoint answers {names} (UTF-8); send an Accept header for one"
    )


# --- request parameters ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Params:
    query: str | None  # None: the request names its document by `documentId`
    operation_name: str | None = None
    variables: dict[str, Any] | None = None
    extensions: dict[str, Any] | None = field(default=None)
    document_id: object = None  # checked by the trusted-documents gate (trusted_documents.py)


def body_kind(content_type: str | None, *, multipart: bool) -> str:
    """ "json" or "multipart" for a POST body of this Content-Type; 415 for anything else."""
    mime, _, rest = (content_type or "").partition(";")
    mime = mime.strip().lower()
    if mime == "application/json":
        for param in rest.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in UTF8:
                raise RequestError(415, "Request bodies must be UTF-8 encoded JSON")
        return "json"
    if multipart and mime == "multipart/form-data":
        return "multipart"
    raise RequestError(
        415,
        "POST requests need the header Content-Type: application/json"
        + (" (or multipart/form-data for uploads)" if multipart else ""),
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)

# How deep arrays and objects may nest in a request. Python's decoder recurses once per level
# and would stop only at the interpreter's recursion limit, where every garbage collection it
# triggers runs the collector's callbacks with no frames to spare (they fail as "unraisable"
# errors); GraphQL variables never need more than a few levels.
MAX_JSON_DEPTH = 64
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NESTING = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, brackets inside strings aside."""
    depth = deepest = 0
    for bracket in _NESTING.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def decode_json(raw: bytes | str) -> Any:
    """Strict JSON in UTF-8 (no `NaN`/`Infinity`, no other encodings, at most MAX_JSON_DEPTH
    levels deep); 400 otherwise."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise RequestError(400, "The request body is not UTF-8") from exc
    # Counting brackets is one C pass; only a body with that many of them is measured.
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
        raise RequestError(
            400, f"The request body nests arrays and objects deeper than {MAX_JSON_DEPTH} levels"
        )
    try:
        return _DECODER.decode(text)
    except ValueError as exc:
        raise RequestError(400, "Unable to parse the request body as JSON") from exc


def query_params(items: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The parameters of a GET query string: `variables` and `extensions` are JSON, and an
    empty value means the parameter was not given."""
    params: dict[str, Any] = {}
    for name, value in items:
        if name in params:
            raise RequestError(400, f"The parameter `{name}` was given more than once")
        params[name] = value
    for name in ("operationName", "variables", "extensions"):
        if params.get(name) == "":
            del params[name]
    for name in ("variables", "extensions"):
        if name in params:
            params[name] = decode_json(params[name])
    return params


def request_params(data: Any) -> Params:
    """The GraphQL-over-HTTP request in a decoded body or query string, checked for shape."""
    if isinstance(data, list):
        raise RequestError(400, "Batched requests are not supported: send one operation each")
    if not isinstance(data, dict):
        raise RequestError(400, "The request must be a JSON object")
    query, document_id = data.get("query"), data.get("documentId")
    if query is None and document_id is None:
        raise RequestError(
            400, "The request has no `query` (the GraphQL document) and no `documentId`"
        )
    if query is not None and not isinstance(query, str):
        raise RequestError(400, "`query` must be a string")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "`operationName` must be a string or null")
    for name in ("variables", "extensions"):
        if not isinstance(data.get(name), dict | None):
            raise RequestError(400, f"`{name}` must be an object or null")
    return Params(query, operation_name, data.get("variables"), data.get("extensions"), document_id)


# --- responses ------------------------------------------------------------------------------
# A response without `data`, by the first of these codes among its errors; 400 otherwise.
STATUS_BY_CODE = (
    (TopLevelCode.SERVICE_UNAVAILABLE.value, 503),
    (TopLevelCode.INTERNAL_SERVER_ERROR.value, 500),
    (TopLevelCode.UNAUTHENTICATED.value, 401),
    (TopLevelCode.FORBIDDEN.value, 403),
    (TopLevelCode.RATE_LIMITED.value, 429),
)


def is_request_error(result: ExecutionResult) -> bool:
    """True when the operation was not executed: the document did not parse or validate, the
    operation could not be chosen or its variables did not coerce (graphql-core's path-less
    errors without data), or something refused the request before execution."""
    if isinstance(result, PreExecutionError):
        return True
    errors = result.errors or []
    return result.data is None and bool(errors) and all(not e.path for e in errors)


def request_error_result(message: str) -> PreExecutionError:
    """A request error found by the transport (a subscription over HTTP, an operation that
    cannot be chosen): reported like a validation error."""
    extensions = {"code": TopLevelCode.BAD_USER_INPUT.value}
    return PreExecutionError(data=None, errors=[GraphQLError(message, extensions=extensions)])


def shaped(body: dict[str, Any], media: MediaType, *, request_error: bool) -> dict[str, Any]:
    """`body` as sent with `media`: without `data` for a request error in a GraphQL response."""
    if request_error and media.graphql_response:
        return {k: v for k, v in body.items() if k != "data"}
    return body


def status_of(body: dict[str, Any], media: MediaType) -> int:
    if not media.graphql_response or "data" in body:
        return 200
    codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or ()}
    return next((status for code, status in STATUS_BY_CODE if code in codes), 400)


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    headers: list[tuple[bytes, bytes]]


def encode(body: Any) -> bytes:
    """Compact JSON, as Strawberry's view encodes it."""
    return json.dumps(body, separators=(",", ":")).encode()


def reply(
    body: dict[str, Any],
    media: MediaType,
    *,
    status: int | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """Status, bytes and headers of a response (the view and the buy lane both send these)."""
    status = status_of(body, media) if status is None else status
    encoded = encode(body)
    raw = [
        ("content-length", str(len(encoded))),
        ("content-type", media.content_type),
        ("vary", "Accept"),
        *(headers or {}).items(),
    ]
    if (wait := retry_after_header(body.get("errors") or [])) is not None:
        raw.append(("retry-after", wait))
    if status == 401:
        raw.append(("www-authenticate", 'Bearer error="invalid_token"'))
    return Reply(status, encoded, [(k.lower().encode(), v.encode("latin-1")) for k, v in raw])


def refusal(error: HTTPException, media: MediaType | None) -> Reply:
    """The answer to a request refused before any GraphQL work."""
    headers = error.headers if isinstance(error, RequestError) else {}
    if error.status_code == 405 and "Allow" not in headers:
        headers = {**headers, "Allow": "GET, POST"}
    body = {
        "errors": [
            {"message": error.reason, "extensions": {"code": TopLevelCode.BAD_USER_INPUT.value}}
        ]
    }
    return reply(body, media or APPLICATION_JSON, status=error.status_code, headers=headers)
