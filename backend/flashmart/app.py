"""The Starlette application factory: GraphQL, health, metrics, media and the built frontend."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from random import getrandbits
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, StatusCode
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from flashmart import scrape, static
from flashmart.core import metrics, tracing
from flashmart.core.db import close_db, init_db_for, ping_db
from flashmart.core.gc_tuning import HeapKeeper, settle_heap
from flashmart.core.logging import configure_logging, request_id_var
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.core.system import WorkerStatus, worker_status
from flashmart.graphql.eventlane import EventLane
from flashmart.graphql.fastlane import BuyLane, read_body, replay_body
from flashmart.graphql.plans import BUY, ROOM, WATCH, Lane, PlanCache
from flashmart.graphql.roomlane import RoomLane
from flashmart.graphql.schema import build_schema
from flashmart.graphql.transport import RequestError, body_kind
from flashmart.graphql.trusted_documents import Gate, load_manifest
from flashmart.graphql.view import UPLOAD_CSRF_HEADERS, GraphQLView
from flashmart.graphql.wsdirect import RAW_SEND
from flashmart.payments import http as payments_http
from flashmart.security_headers import SecurityHeaders

logger = logging.getLogger("flashmart.http")
READY_TIMEOUT = 2.0
REQUIRED = ("database", "redis", "queue")  # /readyz answers 503 without one of these present


class RequestContextMiddleware:
    """Request id, body size limit and one access-log line per HTTP request (pure ASGI)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    def _limit(self, headers: dict[bytes, bytes]) -> int:
        """MEDIA_MAX_UPLOAD_BYTES for a multipart upload with its CSRF header (the only kind
        the GraphQL view parses), else MAX_BODY_BYTES."""
        kind = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        if kind == b"multipart/form-data" and any(
            headers.get(name.encode()) for name in UPLOAD_CSRF_HEADERS
        ):
            return max(self.max_upload_bytes, self.max_body_bytes)
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        request_id = _request_id(headers.get(b"x-request-id", b""))
        token = request_id_var.set(request_id)
        try:
            if scope["type"] == "websocket":
                await self.app(scope, receive, send)
                return
            await self._http(scope, receive, send, headers, request_id)
        finally:
            request_id_var.reset(token)

    async def _http(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes], rid: str
    ) -> None:
        limit = self._limit(headers)
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, receive, send)
            return
        received = 0
        started = time.perf_counter()

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        reply = _Reply(send, rid)
        try:
            await self.app(scope, limited_receive, reply)
            status = reply.status
        except BodyTooLarge:
            status = 413
            await _too_large(scope, receive, send)
        _record_http(scope, _route_label(scope["path"]), status, started)


def _record_http(scope: Scope, route: str, status: int, started: float) -> None:
    """The request metric and the access-log line of an HTTP request that started at
    `started` (perf_counter); GraphQL operations log their own line with the operation name."""
    metrics.HTTP_REQUESTS.labels(route, str(status)).inc()
    if route != "/graphql":
        logger.info(
            "http",
            extra={
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )


class BodyTooLarge(Exception):
    pass


def _request_id(sent: bytes) -> str:
    """The request id: the client's `x-request-id` (`sent`, up to 64 characters), else a new one."""
    return sent.decode()[:64] or _new_request_id()


def _new_request_id() -> str:
    """A request id when the client sent none: 128 random bits in hex, as `uuid4().hex` writes
    them, drawn from `random` (an id needs to be unique, not secret: no `urandom` system call
    and no UUID object per request)."""
    return "%032x" % getrandbits(128)  # noqa: UP031 - cheaper than format() or an f-string


def _sent_request_id(headers: list[tuple[bytes, bytes]]) -> bytes:
    """The client's `x-request-id` from the raw header list, without a dict of every header
    per lane request (the last one counts, as in the middleware's dict)."""
    sent = b""
    for name, value in headers:
        if name == b"x-request-id":
            sent = value
    return sent


class _Reply:
    """`send` that adds the request id (and `extra`, headers built once) to the response and
    remembers its status."""

    def __init__(
        self, send: Send, request_id: str, extra: tuple[tuple[bytes, bytes], ...] = ()
    ) -> None:
        self.send = send
        self.header = (b"x-request-id", request_id.encode())
        self.extra = extra
        self.status = 500

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            message["headers"] = [*message.get("headers", []), self.header, *self.extra]
        await self.send(message)


class FlashMartApp(Starlette):
    """Starlette with the buy lane in front of the middleware stack.

    Starlette's middleware and routing cost a large share of a flash-sale buy's CPU in the
    process (docs/hotpath.md), so a JSON `POST /graphql` with a declared length within
    `MAX_BODY_BYTES` is first offered to `BuyLane.answer`, which answers a qualifying
    `seckillBuy` with what the stack would add: the request id (log context and
    `x-request-id`), the CORS headers (Starlette's own `CORSMiddleware.send`), the security
    headers (their precomputed list) and the request metric; with tracing on, its own server
    span (`_traced_answer`). Anything the lane does not answer goes through the whole stack,
    body replayed.

    Before the buy lane, a GET or HEAD of one of the build's `/assets/` files is offered to
    the asset lane (`static.AssetLane`), which answers it as the route would, with the same
    additions.

    Every other HTTP response gets the security headers here too (`SecurityHeaders.wrap`),
    outside the whole stack: Starlette's outermost error handler's 500s included.
    """

    buy_lane: BuyLane | None = None
    asset_lane: static.AssetLane | None = None  # the build's /assets/ files (static.py)
    cors: CORSMiddleware | None = None
    security: SecurityHeaders | None = None
    max_body_bytes = 0
    last_request = 0.0  # monotonic time the last HTTP request started (the heap keeper's cue)

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                scope[RAW_SEND] = send  # the server's own, for the live lane's frames
            await super().__call__(scope, receive, send)
            return
        self.last_request = time.monotonic()
        assets = self.asset_lane
        if assets is not None and (asset := assets.find(scope)) is not None:
            await self._answer_asset(assets, scope, asset, send)
            return
        lane = self.buy_lane
        if lane is None or not self._offered(scope):
            await super().__call__(scope, receive, self._secured(scope, send))
            return
        scope["app"] = self
        body = await read_body(receive)
        request_id, reply, respond = self._lane_send(scope, send)
        token = request_id_var.set(request_id)
        try:
            if tracing.tracer is None:
                answered = await lane.answer(scope, body, respond)
            elif isinstance(made := tracing.open_server_span("POST /graphql", scope), str):
                # a new trace the sampler dropped: only its traceparent goes on (core/tracing.py)
                reply.extra = (*reply.extra, (b"traceparent", made.encode()))
                carried = tracing.dropped_traceparent.set(made)  # for the reserve call's job
                try:
                    answered = await lane.answer(scope, body, respond)
                finally:
                    tracing.dropped_traceparent.reset(carried)
            else:
                answered = await _traced_answer(lane, made, scope, body, respond, reply)
        finally:
            request_id_var.reset(token)
        if answered:
            _graphql_requests(reply.status).inc()
            return
        await super().__call__(scope, replay_body(body, receive), self._secured(scope, send))

    def _lane_send(self, scope: Scope, send: Send) -> tuple[str, _Reply, Send]:
        """What a lane answers through: the request id, the reply that adds it and the
        security headers (and remembers the status), and that reply behind the stack's CORS
        headers (Starlette's own `CORSMiddleware.send`)."""
        request_id = _request_id(_sent_request_id(scope["headers"]))
        security = self.security
        reply = _Reply(send, request_id, security.for_scope(scope) if security else ())
        cors = self.cors
        if cors is None:
            return request_id, reply, reply
        request_headers = Headers(scope=scope)

        async def respond(message: Message) -> None:
            await cors.send(message, reply, request_headers)

        return request_id, reply, respond

    async def _answer_asset(
        self, assets: static.AssetLane, scope: Scope, asset: static.Prepared, send: Send
    ) -> None:
        """An asset through `AssetLane.answer`, with what the stack adds to its answer: the
        request id, the CORS headers (`Vary: Origin` at least), the security headers,
        the request metric and the access-log line (RequestContextMiddleware's)."""
        started = time.perf_counter()
        request_id, _, respond = self._lane_send(scope, send)
        token = request_id_var.set(request_id)
        try:
            status = await assets.answer(scope, asset, respond)
            _record_http(scope, "/", status, started)
        finally:
            request_id_var.reset(token)

    def _secured(self, scope: Scope, send: Send) -> Send:
        return send if self.security is None else self.security.wrap(scope, send)

    def _offered(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/graphql":
            return False
        if scope.get("root_path"):
            return False
        length = kind = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value
            elif name == b"content-type":
                kind = value
        if kind is None or kind.split(b";", 1)[0].strip().lower() != b"application/json":
            return False
        if b"charset" in kind.lower():  # one the view refuses (415) is not the lane's
            try:
                body_kind(kind.decode("latin-1"), multipart=False)
            except RequestError:
                return False
        return length is not None and length.isdigit() and int(length) <= self.max_body_bytes


_GRAPHQL_REQUESTS: dict[int, Any] = {}


def _graphql_requests(status: int) -> Any:
    """The request counter's child for a `/graphql` answer of the buy lane with `status`
    (looked up once per status: `labels` takes a lock and builds the key on every call)."""
    child = _GRAPHQL_REQUESTS.get(status)
    if child is None:
        child = _GRAPHQL_REQUESTS[status] = metrics.HTTP_REQUESTS.labels("/graphql", str(status))
    return child


async def _traced_answer(
    lane: BuyLane, span: Span, scope: Scope, body: bytes, respond: Send, reply: _Reply
) -> bool:
    """`lane.answer` inside its own server span `span` (the lane answers before the
    OpenTelemetry middleware; `tracing.open_server_span`), child of the request's
    `traceparent`, which the response returns. A request the lane hands on gets the
    middleware's span instead: the lane's is never ended, and the SDK exports ended spans
    only. (A new trace the sampler drops gets no span: `FlashMartApp.__call__`.)"""
    value = tracing.traceparent(span)
    if value is not None:
        reply.extra = (*reply.extra, (b"traceparent", value.encode()))
    try:
        if span.is_recording():
            with trace.use_span(span, end_on_exit=False):  # records an exception, marks the error
                answered = await lane.answer(scope, body, respond)
        else:  # a dropped trace: only its context goes on (a fifth of use_span's cost)
            token = otel_context.attach(trace.set_span_in_context(span))
            carried = tracing.dropped_traceparent.set(value)  # for the reserve call's job
            try:
                answered = await lane.answer(scope, body, respond)
            finally:
                tracing.dropped_traceparent.reset(carried)
                otel_context.detach(token)
            return answered  # a non-recording span keeps no attributes and needs no end
    except BaseException:
        span.end()
        raise
    if answered:
        attributes: dict[str, str | int] = {
            "http.response.status_code": reply.status,
            "flashmart.lane": "buy",
        }
        tracing.set_attributes(span, attributes)
        if reply.status >= 500:
            span.set_status(StatusCode.ERROR)
        span.end()
    return answered


def _traced_stack(middleware: list[Middleware]) -> list[Middleware]:
    """The OpenTelemetry ASGI middleware outermost (one server span per request, named by
    its closed-set route), then the `traceparent` response header, then `middleware`."""
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    return [
        Middleware(
            OpenTelemetryMiddleware,
            tracer_provider=tracing.provider,
            default_span_details=_span_details,
            exclude_spans=["receive", "send"],
        ),
        Middleware(tracing.ResponseTraceparent),
        *middleware,
    ]


def _span_details(scope: Scope) -> tuple[str, dict[str, Any]]:
    return f"{scope.get('method') or 'WEBSOCKET'} {_route_label(scope['path'])}", {}


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse(
        {
            "errors": [
                {"message": "Request body too large", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}
            ]
        },
        status_code=413,
    )
    await response(scope, receive, send)


def _route_label(path: str) -> str:
    for known in ("/graphql", "/healthz", "/readyz", "/metrics", "/media", "/payments"):
        if path.startswith(known):
            return known
    return "/"


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """What is down. The database and Redis are required (503 without either), and so is the
    queue's own Redis where QUEUE_REDIS_URL names one (the `queue` check, reported only then);
    a worker is not (buys are queued until one runs), so without one the answer is 200 and
    "degraded". A worker counts as alive while its health report (in the queue's Redis),
    rewritten every WORKER_HEALTH_CHECK_INTERVAL seconds, has not expired."""
    runtime: Runtime = request.app.state.runtime
    checks: dict[str, str] = {}
    worker: WorkerStatus | None = None
    separate = runtime.settings.queue_is_separate

    async def redis_and_worker() -> None:
        nonlocal worker
        await runtime.redis.ping()
        if not separate:
            worker = await worker_status(runtime.queue, runtime.keys)

    async def queue_and_worker() -> None:
        nonlocal worker
        worker = await worker_status(runtime.queue, runtime.keys)

    probes = [("database", ping_db()), ("redis", redis_and_worker())]
    if separate:
        probes.append(("queue", queue_and_worker()))
    for name, probe in probes:
        try:
            await asyncio.wait_for(probe, READY_TIMEOUT)
            checks[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            checks[name] = f"unavailable: {type(exc).__name__}"
    if worker is None:
        checks["worker"] = f"unknown: {'queue' if separate else 'redis'} unavailable"
    elif worker.worker_alive:
        checks["worker"] = "ok"
    else:
        checks["worker"] = "unavailable: no health report from a worker"
    ready = all(checks[name] == "ok" for name in REQUIRED if name in checks)
    status = "unavailable" if not ready else "ok" if checks["worker"] == "ok" else "degraded"
    if runtime.durability is not None:  # reported, never a reason to stop serving
        checks["durability"] = runtime.durability.readiness
    return JSONResponse({"status": status, "checks": checks}, status_code=200 if ready else 503)


async def metrics_endpoint(request: Request) -> Response:
    runtime: Runtime | None = getattr(request.app.state, "runtime", None)
    if runtime is not None:
        await scrape.refresh(runtime)  # queue depth, pending reservations, pools (scrape.py)
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> FlashMartApp:
    """Build the app; `manage_database=False` when the caller already initialised Tortoise."""
    settings = settings or Settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    tracing.setup("flashmart-api")  # on only when OTEL_* variables ask (core/tracing.py)
    schema = build_schema(settings)
    graphql_app = GraphQLView(
        schema,
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        multipart_uploads_enabled=True,
        max_subscriptions_per_connection=settings.subscription_max_per_connection,
        connection_init_wait_timeout=timedelta(seconds=settings.subscription_init_timeout_seconds),
        allowed_origins=settings.cors_origins,  # WebSocket handshakes from other sites: 403
    )
    # Trusted documents: the frontend's manifest, read once, and who may send what.
    gate = Gate.for_settings(settings, load_manifest(settings))
    graphql_app.gate = gate

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not settings.redis_url:
            raise RuntimeError("REDIS_URL is not set (the CLI starts the embedded Redis)")
        if manage_database:
            await init_db_for(settings)
        try:
            async with Runtime.open(
                settings, multiplex=settings.redis_multiplex, broker=True
            ) as runtime:
                app.state.runtime = runtime
                settle_heap(settings.gc_young_threshold)  # start-up is done
                async with _heap_keeper(app, settings):
                    yield
        finally:
            if manage_database:
                await close_db()

    media_dir = settings.data_dir / "media"
    media_dir.mkdir(parents=True, exist_ok=True)
    frontend_routes, assets = static.frontend(settings.frontend_dist)
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        Route("/graphql", graphql_app),  # every method: the view answers 405 for all but two
        WebSocketRoute("/graphql", graphql_app),
        Mount("/media", StaticFiles(directory=media_dir), name="media"),
        *payments_http.routes(settings),
        *frontend_routes,  # precompressed, cache headers (flashmart/static.py)
    ]
    cors: dict[str, Any] = {
        "allow_origins": settings.cors_origins,
        "allow_methods": ["GET", "POST"],
        "allow_headers": [
            "authorization",
            "content-type",
            "x-request-id",
            "x-flashmart-upload",
            "apollo-require-preflight",
        ],
    }
    middleware = [
        Middleware(
            RequestContextMiddleware,
            max_body_bytes=settings.max_body_bytes,
            max_upload_bytes=settings.media_max_upload_bytes,
        ),
        Middleware(CORSMiddleware, **cors),
    ]
    if tracing.tracer is not None:
        middleware = _traced_stack(middleware)
    app = FlashMartApp(routes=routes, middleware=middleware, lifespan=lifespan)
    app.security = SecurityHeaders(settings)  # on every HTTP response (security_headers.py)
    app.cors = CORSMiddleware(_unused_app, **cors)  # its `send`: the stack's CORS headers
    if settings.static_asset_lane and tracing.tracer is None:  # traced: every request a span
        app.asset_lane = assets

    def plans(lane: Lane) -> PlanCache:  # a lane's documents, checked as every request's
        return PlanCache(schema._schema, lane, rules=schema.extra_rules, limits=schema.limits)

    if settings.graphql_event_lane:  # encoded once per snapshot (graphql/eventlane.py)
        graphql_app.event_lane = EventLane(plans(WATCH))
        graphql_app.room_lane = RoomLane(plans(ROOM))  # and the room's (graphql/roomlane.py)
    if settings.graphql_buy_lane:  # `seckillBuy` without generic execution (graphql/fastlane.py)
        app.buy_lane = BuyLane(plans(BUY), gate)
        app.max_body_bytes = settings.max_body_bytes
    return app


@contextlib.asynccontextmanager
async def _heap_keeper(app: Starlette, settings: Settings) -> AsyncIterator[None]:
    """Tidy the heap between bursts of requests (core/gc_tuning.py) while the app serves."""
    interval = settings.gc_keeper_interval_seconds
    if not interval or settings.gc_young_threshold <= 0 or not isinstance(app, FlashMartApp):
        yield
        return
    keeper = HeapKeeper(
        interval=interval, full_every=settings.gc_keeper_full_every_seconds, idle=app.idle_seconds
    )
    app.state.heap_keeper = keeper
    task = asyncio.create_task(keeper.run(), name="heap-keeper")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _unused_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("only CORSMiddleware.send is used")
