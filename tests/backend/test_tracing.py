"""OpenTelemetry tracing (core/tracing.py): one trace from the shopper's request to the order.

Spans go to an in-memory exporter; the app, Redis, the arq worker and the database are real."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, TraceState
from strawberry import relay

from flashmart.accounts.models import User
from flashmart.core import tracing
from flashmart.core.keys import Keys
from flashmart.core.logging import JsonFormatter
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.graphql.ids import decode_id, encode_id
from flashmart.orders.models import Order, OrderStatus
from flashmart.seckill.events import warm_up
from flashmart.seckill.models import SeckillTicket
from tests.backend.graphql.test_payments import _decide, _pay, _place_order, _run_worker, _user
from tests.backend.helpers import Api, serving, token_for
from tests.backend.live_server import live_server
from tests.backend.seckill.factories import eventually, job_result, running_worker, sale

BUY = (
    "mutation Buy($e: ID!) { seckillBuy(eventId: $e) "
    "{ ticket { id status } userErrors { code message } } }"
)
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
INCOMING = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
BACKEND = Path(__file__).resolve().parents[2] / "backend"
OTEL_VARIABLES = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_TRACES_EXPORTER",
    "OTEL_SDK_DISABLED",
)


@contextlib.contextmanager
def _installed(provider: TracerProvider) -> Iterator[InMemorySpanExporter]:
    """Tracing on in this process with `provider`, every span kept in memory (apps and
    workers built inside the block use it); off again after."""
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    try:
        yield exporter
    finally:
        tracing.uninstall()
        provider.shutdown()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on with the SDK's default sampler (every trace sampled)."""
    with _installed(TracerProvider()) as exporter:
        yield exporter


async def _buy(app: Any, runtime: Runtime, **headers: str) -> tuple[httpx.Response, str]:
    """One shopper's buy of a fresh warm sale: the response and the ticket id."""
    event = await sale(3)
    await warm_up(runtime, event.id)
    user = await User.create(email=f"tracer{event.id}@example.com", password_hash="x")
    async with serving(app) as client:
        response = await client.post(
            "/graphql",
            json={"query": BUY, "variables": {"e": encode_id("SeckillEvent", event.id)}},
            headers={"authorization": f"Bearer {token_for(user.id)}", **headers},
        )
    assert response.status_code == 200, response.text
    ticket = response.json()["data"]["seckillBuy"]["ticket"]
    assert ticket["status"] == "QUEUED"
    return response, relay.from_base64(ticket["id"])[1]


async def _persisted(runtime: Runtime, ticket_id: str) -> None:
    async with running_worker(runtime):

        async def finished() -> bool:
            return await job_result(runtime, ticket_id) is not None

        await eventually(finished)
    assert await job_result(runtime, ticket_id) == "created"
    ticket = await SeckillTicket.get(id=ticket_id)
    assert ticket.order_id is not None


def _one(found: tuple[ReadableSpan, ...], name: str) -> ReadableSpan:
    named = [s for s in found if s.name == name]
    assert len(named) == 1, [s.name for s in found]
    return named[0]


def _parent_of(child: ReadableSpan) -> int | None:
    return child.parent.span_id if child.parent is not None else None


def _span_id(span: ReadableSpan) -> int:
    context = span.get_span_context()
    assert context is not None
    return context.span_id


def _in_trace(found: tuple[ReadableSpan, ...], trace_id: str) -> tuple[ReadableSpan, ...]:
    """The spans of one trace (on PostgreSQL the worker's crons add traces of their own)."""
    return tuple(s for s in found if _trace_ids((s,)) == {trace_id})


def _trace_ids(found: tuple[ReadableSpan, ...]) -> set[str]:
    ids = set()
    for span in found:
        context = span.get_span_context()
        assert context is not None
        ids.add(format(context.trace_id, "032x"))
    return ids


async def test_a_buy_is_one_trace_from_the_lane_through_the_worker_to_the_database(
    app_factory: Any, runtime: Runtime, spans: InMemorySpanExporter
) -> None:
    app = app_factory()
    response, ticket_id = await _buy(app, runtime, traceparent=INCOMING)
    assert app.buy_lane.answered == 1  # the buy lane answered, not generic execution
    await _persisted(runtime, ticket_id)

    found = _in_trace(spans.get_finished_spans(), TRACE_ID)  # the client's trace
    server = _one(found, "POST /graphql")
    assert server.kind is SpanKind.SERVER
    assert server.attributes is not None and server.attributes["flashmart.lane"] == "buy"
    assert _parent_of(server) == int(INCOMING.split("-")[2], 16)  # the client's span
    reserve = _one(found, "seckill.reserve")
    assert reserve.kind is SpanKind.CLIENT and _parent_of(reserve) == _span_id(server)
    job = _one(found, "job persist_reservation")
    assert job.kind is SpanKind.CONSUMER and _parent_of(job) == _span_id(reserve)
    assert job.resource is not None
    transaction = _one(found, "seckill.persist.transaction")
    settle = _one(found, "seckill.persist.settle")
    assert _parent_of(transaction) == _parent_of(settle) == _span_id(job)
    statements = [s for s in found if _parent_of(s) == _span_id(transaction)]
    if runtime.settings.database_url.startswith("postgres"):  # asyncpg's instrumentation
        assert statements and all(s.kind is SpanKind.CLIENT for s in statements)
        assert any("INSERT" in s.name for s in statements), [s.name for s in statements]
    # The response names the server span, in the client's trace.
    assert response.headers["traceparent"] == f"00-{TRACE_ID}-{_span_id(server):016x}-01"


async def test_a_job_the_api_queues_itself_carries_the_trace_too(
    app_factory: Any, runtime: Runtime, spans: InMemorySpanExporter
) -> None:
    app = app_factory(seckill_enqueue_in_script=False)  # the queue on another Redis
    _, ticket_id = await _buy(app, runtime, traceparent=INCOMING)
    raw = await runtime.redis.get(runtime.keys.arq_job(ticket_id))
    assert json.loads(raw)["k"]["traceparent"].startswith(f"00-{TRACE_ID}-")
    await _persisted(runtime, ticket_id)
    found = _in_trace(spans.get_finished_spans(), TRACE_ID)
    reserve = _one(found, "seckill.reserve")
    assert _parent_of(_one(found, "job persist_reservation")) == _span_id(reserve)


async def test_a_buy_in_an_unsampled_trace_exports_nothing_and_tells_the_worker_so(
    app_factory: Any, runtime: Runtime, spans: InMemorySpanExporter
) -> None:
    """The client's trace is not sampled (flags 00): the lane makes no reserve span, the job
    carries the lane's span context with the same flags, and neither process exports a span
    of that trace."""
    app = app_factory(seckill_enqueue_in_script=False)  # the job's arguments readable in Redis
    unsampled = INCOMING[:-2] + "00"
    response, ticket_id = await _buy(app, runtime, traceparent=unsampled)
    carried = json.loads(await runtime.redis.get(runtime.keys.arq_job(ticket_id)))["k"]
    assert carried["traceparent"] == response.headers["traceparent"]
    version, trace_id, span_id, flags = carried["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", TRACE_ID, "00")
    assert span_id != INCOMING.split("-")[2]  # the lane's own span, child of the client's
    await _persisted(runtime, ticket_id)
    assert _in_trace(spans.get_finished_spans(), TRACE_ID) == ()


async def test_generic_execution_is_traced_by_the_middleware_and_strawberry(
    app_factory: Any, runtime: Runtime, spans: InMemorySpanExporter
) -> None:
    app = app_factory(graphql_buy_lane=False)
    response, ticket_id = await _buy(app, runtime)  # no traceparent: a new trace
    await _persisted(runtime, ticket_id)

    server = _one(spans.get_finished_spans(), "POST /graphql")
    trace_id = next(iter(_trace_ids((server,))))
    found = _in_trace(spans.get_finished_spans(), trace_id)
    assert server.kind is SpanKind.SERVER and server.parent is None
    operation = _one(found, "GraphQL Buy")  # Strawberry's extension (graphql/tracing.py)
    resolver = _one(found, "GraphQL Resolving: seckillBuy")
    assert operation.attributes is not None and "query" not in operation.attributes
    assert resolver.attributes is not None  # what the client typed is not recorded
    assert not [k for k in resolver.attributes if k.startswith("graphql.param")]
    reserve = _one(found, "seckill.reserve")
    assert _parent_of(reserve) == _span_id(resolver)
    assert {_parent_of(operation)} == {_span_id(server)}
    assert _parent_of(_one(found, "job persist_reservation")) == _span_id(reserve)
    assert response.headers["traceparent"].startswith(f"00-{trace_id}-")


async def _checkout_and_pay(app_factory: Any, settings: Settings, redis: Any) -> int:
    """A shopper's cart checkout and payment over HTTP, approved on the sandbox's pay page; the
    worker's job delivers the provider's webhook over real HTTP. The order's id, once PAID."""
    async with (
        live_server(lambda url: app_factory(public_base_url=url)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        api = Api(http)
        api.token = await _user("traced@example.com")
        order = await _place_order(api)
        payment = (await _pay(api, order["id"]))["payment"]
        assert (await _decide(http, payment["payUrl"], "approve")).status_code == 303
        order_id = decode_id(order["id"], "Order")
        worker_settings = settings.model_copy(update={"public_base_url": base_url})
        await _run_worker(worker_settings, redis, [order_id])
    assert (await Order.get(id=order_id)).status is OrderStatus.PAID
    return order_id


async def test_checkout_payment_and_webhook_are_one_story_joined_by_span_links(
    app_factory: Any, settings: Settings, redis: Any, spans: InMemorySpanExporter
) -> None:
    """Checkout and paymentCreate are spans of the shopper's requests; the provider's webhook
    (a request of its own, here the sandbox's delivery job over real HTTP) is a new trace whose
    `payment.webhook` span links to both, with the PAID transition and `orderUpdated` under it."""
    order_id = await _checkout_and_pay(app_factory, settings, redis)

    found = spans.get_finished_spans()
    checkout = _one(found, "order.checkout")
    assert checkout.attributes is not None and checkout.attributes["flashmart.order.id"] == order_id
    (shopper_trace,) = _trace_ids((checkout,))
    resolver = _one(_in_trace(found, shopper_trace), "GraphQL Resolving: checkoutComplete")
    assert _parent_of(checkout) == _span_id(resolver)
    assert _one(_in_trace(found, shopper_trace), "POST /graphql").kind is SpanKind.SERVER
    opened = _one(found, "payment.create")
    assert _one(_in_trace(found, *_trace_ids((opened,))), "GraphQL Resolving: paymentCreate")

    webhook = _one(found, "payment.webhook")
    (webhook_trace,) = _trace_ids((webhook,))
    assert webhook_trace not in _trace_ids((checkout, opened))  # the provider's own request
    server = next(s for s in found if _span_id(s) == _parent_of(webhook))
    assert server.kind is SpanKind.SERVER and server.parent is None
    assert (
        server.attributes is not None
        and server.attributes["http.target"] == "/payments/sandbox/webhook"
    )
    linked = {(link.context.trace_id, link.context.span_id) for link in webhook.links}
    assert linked == {
        (checkout.context.trace_id, _span_id(checkout)),
        (opened.context.trace_id, _span_id(opened)),
    }
    assert webhook.attributes is not None
    assert webhook.attributes["flashmart.order.id"] == order_id
    settle = _one(found, "payment.settle")
    paid = _one(found, "order.status PAID")
    publish = _one(found, "order.publish orderUpdated")
    ttl = await redis.ttl(Keys(settings.redis_prefix).trace_context("order", order_id))
    assert 0 < ttl <= tracing.CARRIED_SECONDS
    assert _parent_of(settle) == _parent_of(publish) == _span_id(webhook)
    assert _parent_of(paid) == _span_id(settle)
    assert publish.start_time is not None and settle.end_time is not None
    assert publish.start_time >= settle.end_time  # announced after the commit


async def test_the_workers_cron_runs_are_traced(
    runtime: Runtime, spans: InMemorySpanExporter
) -> None:
    async with running_worker(runtime):

        async def warmed() -> bool:
            names = [s.name for s in spans.get_finished_spans()]
            return "cron warm_upcoming_events" in names

        await eventually(warmed)
    cron = _one(spans.get_finished_spans(), "cron warm_upcoming_events")
    assert cron.kind is SpanKind.CONSUMER and cron.parent is None  # a trace of its own


async def test_a_declined_lane_request_is_traced_once_by_the_stack(
    app_factory: Any, runtime: Runtime, spans: InMemorySpanExporter
) -> None:
    app = app_factory()
    async with serving(app) as client:  # no token: the lane hands the request to the view
        response = await client.post(
            "/graphql",
            json={"query": BUY, "variables": {"e": "x"}},
            headers={"traceparent": INCOMING},
        )
    assert app.buy_lane.answered == 0
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    found = spans.get_finished_spans()
    server = [s for s in found if s.kind is SpanKind.SERVER]  # not the lane's, never ended
    assert len(server) == 1 and _trace_ids(found) == {TRACE_ID}
    assert response.headers["traceparent"] == f"00-{TRACE_ID}-{_span_id(server[0]):016x}-01"


async def test_with_tracing_off_nothing_is_installed_and_nothing_carried(
    app_factory: Any, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in OTEL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    app = app_factory()
    assert tracing.tracer is None and tracing.provider is None
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
    assert all("OpenTelemetry" not in m.cls.__name__ for m in app.user_middleware)

    response, ticket_id = await _buy(app, runtime, traceparent=INCOMING)
    assert app.buy_lane.answered == 1
    assert "traceparent" not in response.headers
    raw = await runtime.redis.get(runtime.keys.arq_job(ticket_id))
    assert json.loads(raw)["k"] == {}  # the job exactly as before: no trace to carry
    await _persisted(runtime, ticket_id)


async def test_with_tracing_off_a_payment_remembers_no_span_context(
    app_factory: Any, settings: Settings, redis: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in OTEL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert tracing.tracer is None
    await _checkout_and_pay(app_factory, settings, redis)
    assert [k async for k in redis.scan_iter(match=f"{settings.redis_prefix}trace:*")] == []


async def test_flashmart_serve_traces_when_the_environment_asks(
    api_processes: Any, tmp_path: Path
) -> None:
    """A real `flashmart serve` process: spans of its requests reach the configured exporter
    (the console's here), and responses name their span."""
    async with (
        api_processes(1, OTEL_TRACES_EXPORTER="console", OTEL_BSP_SCHEDULE_DELAY="50") as [url],
        httpx.AsyncClient() as http,
    ):
        response = await http.get(f"{url}/healthz", headers={"traceparent": INCOMING})
        assert response.headers["traceparent"].startswith(f"00-{TRACE_ID}-")
        log = tmp_path / "api-0.log"

        async def exported() -> bool:
            return '"name": "GET /healthz"' in log.read_text()

        await eventually(exported)
    text = log.read_text()
    assert f'"trace_id": "0x{TRACE_ID}"' in text
    assert '"service.name": "flashmart-api"' in text


def test_log_lines_carry_the_current_span_ids(spans: InMemorySpanExporter) -> None:
    record = logging.makeLogRecord({"name": "flashmart.test", "msg": "hello", "levelno": 20})
    assert "trace_id" not in json.loads(JsonFormatter().format(record))
    with tracing.span("work") as current:
        line = json.loads(JsonFormatter().format(record))
    context = current.get_span_context()
    assert line["trace_id"] == format(context.trace_id, "032x")
    assert line["span_id"] == format(context.span_id, "016x")


@pytest.mark.parametrize(
    ("environ", "on"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://jaeger:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://jaeger:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://j:4318"}, False),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://j:4318"}, False),
    ],
)
def test_the_environment_turns_tracing_on(environ: dict[str, str], on: bool) -> None:
    assert tracing.requested(environ) is on


SETUP = """
import json
from opentelemetry import trace
from flashmart.core import tracing
assert tracing.setup("flashmart-api") is True
assert tracing.setup("flashmart-api") is True  # once per process
provider = trace.get_tracer_provider()
assert provider is tracing.provider
processors = provider._active_span_processor._span_processors
print(json.dumps({
    "service": provider.resource.attributes["service.name"],
    "sampler": provider.sampler.get_description(),
    "processors": [type(p).__name__ for p in processors],
    "exporters": [type(p.span_exporter).__name__ for p in processors],
    "fast_roots": tracing._root_bound is not None,
}))
"""


def _setup_in_process(**environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env |= {"PYTHONPATH": str(BACKEND), **environ}
    return subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=60
    )


def test_setup_installs_a_batch_exporter_with_the_standard_variables() -> None:
    done = _setup_in_process(
        OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9",
        OTEL_TRACES_SAMPLER="parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG="0.25",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["service"] == "flashmart-api"
    assert "TraceIdRatioBased{0.25}" in found["sampler"]
    assert found["processors"] == ["BatchSpanProcessor"]
    assert found["exporters"] == ["LeanOTLPSpanExporter"]  # the SDK's, encoding leaner
    assert found["fast_roots"] is True  # new traces dropped without the SDK (start_server_span)
    named = _setup_in_process(OTEL_TRACES_EXPORTER="console", OTEL_SERVICE_NAME="shop-eu")
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout.splitlines()[-1])["service"] == "shop-eu"


def test_setup_refuses_an_exporter_it_does_not_ship() -> None:
    done = _setup_in_process(
        OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9", OTEL_EXPORTER_OTLP_PROTOCOL="grpc"
    )
    assert done.returncode != 0
    assert "FlashMart ships the OTLP exporter over HTTP only" in done.stderr


def test_new_traces_are_sampled_by_their_trace_id_as_the_sdk_samples_them() -> None:
    """`start_server_span` drops a new trace without the SDK when the root sampler is the
    trace-id ratio: same decision for the same trace id, same flags, the ratio kept."""
    from opentelemetry.sdk.trace.sampling import ParentBasedTraceIdRatio, TraceIdRatioBased

    exporter = InMemorySpanExporter()
    ids = tracing._RootIds()
    provider = TracerProvider(sampler=ParentBasedTraceIdRatio(0.25), id_generator=ids)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    root = TraceIdRatioBased(0.25)
    scope = {"method": "POST", "path": "/graphql", "scheme": "http", "headers": []}
    try:
        assert tracing._root_bound == root.bound
        made = [tracing.start_server_span("POST /graphql", scope) for _ in range(4000)]
        sampled = [s for s in made if s.is_recording()]
        for span in made:
            context = span.get_span_context()
            assert context.is_valid and not context.is_remote
            # the SDK's own sampler takes the same decision on the same trace id
            expected = root.should_sample(None, context.trace_id, "x").decision.is_sampled()
            assert span.is_recording() is expected
            assert context.trace_flags.sampled is expected
            assert context.trace_flags.random_trace_id
        assert 800 <= len(sampled) <= 1200  # 25% of 4,000 (p < 1e-9 outside)
        for span in sampled:
            span.end()  # type: ignore[attr-defined]
        assert len(exporter.get_finished_spans()) == len(sampled)
        # what the SDK makes for a dropped new trace carries the same flags
        sdk = next(
            s
            for s in (tracing.tracer.start_span("x") for _ in range(100))  # type: ignore[union-attr]
            if not s.is_recording()
        )
        dropped = next(s for s in made if s not in sampled)
        assert sdk.get_span_context().trace_flags == dropped.get_span_context().trace_flags
        # a request naming its parent follows the parent's decision, through the SDK
        parented = {**scope, "headers": [(b"traceparent", INCOMING.encode())]}
        child = tracing.start_server_span("POST /graphql", parented)
        assert child.is_recording()
        assert format(child.get_span_context().trace_id, "032x") == TRACE_ID
    finally:
        tracing.uninstall()
        provider.shutdown()
    # uninstalled, nothing of it is left for the next provider
    assert (tracing._root_bound, tracing._root_ids, tracing._direct) == (None, None, False)
    # a provider sampling otherwise (or with other ids) goes through the SDK every time
    other = TracerProvider()
    tracing.install(other)
    try:
        assert tracing._root_bound is None
        assert tracing.start_server_span("POST /graphql", scope).is_recording()
    finally:
        tracing.uninstall()
        other.shutdown()


@pytest.fixture
def ratio_spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on with the compose file's sampler (every new trace sampled here): our spans
    are made directly (`tracing._direct`), not through the SDK tracer's `start_span`."""
    from opentelemetry.sdk.trace.sampling import ParentBasedTraceIdRatio

    provider = TracerProvider(sampler=ParentBasedTraceIdRatio(1.0), id_generator=tracing._RootIds())
    with _installed(provider) as exporter:
        assert tracing._direct
        yield exporter


@pytest.fixture
def dropping_spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on with a ratio sampler that drops every new trace (`open_server_span`'s
    string-only path)."""
    from opentelemetry.sdk.trace.sampling import ParentBasedTraceIdRatio

    provider = TracerProvider(sampler=ParentBasedTraceIdRatio(0.0), id_generator=tracing._RootIds())
    with _installed(provider) as exporter:
        yield exporter


async def test_a_buy_in_a_dropped_new_trace_is_only_its_traceparent(
    app_factory: Any, runtime: Runtime, dropping_spans: InMemorySpanExporter
) -> None:
    """A new trace the sampler drops gets no span object on the lane: the response and the
    job carry its traceparent (not sampled, the trace id random, as the SDK flags it) and no
    process exports a span of it."""
    app = app_factory(seckill_enqueue_in_script=False)  # the job's arguments readable in Redis
    response, ticket_id = await _buy(app, runtime)
    value = response.headers["traceparent"]
    carried = json.loads(await runtime.redis.get(runtime.keys.arq_job(ticket_id)))["k"]
    assert carried["traceparent"] == value
    context = trace.get_current_span(tracing.parent_from_traceparent(value)).get_span_context()
    assert context.is_valid and not context.trace_flags.sampled
    assert context.trace_flags == tracing._DROPPED  # 02: what the SDK sets on a dropped root
    await _persisted(runtime, ticket_id)
    assert _in_trace(dropping_spans.get_finished_spans(), value.split("-")[1]) == ()


def test_inside_a_dropped_new_trace_logs_and_spans_follow_its_traceparent(
    dropping_spans: InMemorySpanExporter,
) -> None:
    """While the lane answers a dropped new trace (no OpenTelemetry context, only
    `dropped_traceparent`), log lines carry its ids, `traceparent()` is it, and a span started
    meanwhile is its dropped child, not the root of a new trace."""
    scope = {"method": "POST", "path": "/graphql", "scheme": "http", "headers": []}
    value = tracing.open_server_span("POST /graphql", scope)
    assert isinstance(value, str)
    as_span = tracing.start_server_span("POST /graphql", scope)  # the same path, as a span
    assert not as_span.is_recording()
    assert as_span.get_span_context().trace_flags == tracing._DROPPED
    record = logging.makeLogRecord({"name": "flashmart.test", "msg": "hello", "levelno": 20})
    carried = tracing.dropped_traceparent.set(value)
    try:
        line = json.loads(JsonFormatter().format(record))
        assert tracing.traceparent() == value
        with tracing.span("inside") as inner:
            child = inner.get_span_context()
    finally:
        tracing.dropped_traceparent.reset(carried)
    _, trace_id, span_id, _ = value.split("-")
    assert (line["trace_id"], line["span_id"]) == (trace_id, span_id)
    assert not inner.is_recording() and format(child.trace_id, "032x") == trace_id
    assert "trace_id" not in json.loads(JsonFormatter().format(record))
    assert dropping_spans.get_finished_spans() == ()


def _started_by_the_sdk(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the spans our tracer starts through the SDK's `start_span` from now on."""
    names: list[str] = []
    sdk_tracer = tracing.tracer
    assert sdk_tracer is not None
    start_span = sdk_tracer.start_span

    def counted(name: str, *args: Any, **kwargs: Any) -> Any:
        names.append(name)
        return start_span(name, *args, **kwargs)

    monkeypatch.setattr(sdk_tracer, "start_span", counted)
    return names


async def test_a_sampled_new_trace_is_made_directly_and_is_the_same_trace(
    app_factory: Any,
    runtime: Runtime,
    ratio_spans: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lane's server span of a new trace the sampler records, the reserve span and the
    worker's spans under the job's are made without the SDK tracer's `start_span`; the trace
    is the one the SDK's spans make (the job's span, child of a remote parent, still goes
    through the SDK)."""
    by_sdk = _started_by_the_sdk(monkeypatch)
    app = app_factory()
    response, ticket_id = await _buy(app, runtime)
    await _persisted(runtime, ticket_id)
    _, trace_id, span_id, flags = response.headers["traceparent"].split("-")
    assert flags == "03"  # sampled, the trace id random (W3C level 2), as the SDK sets them
    found = _in_trace(ratio_spans.get_finished_spans(), trace_id)
    server = _one(found, "POST /graphql")
    assert server.parent is None and _span_id(server) == int(span_id, 16)
    assert server.kind is SpanKind.SERVER
    assert dict(server.attributes or {}) == {
        "http.request.method": "POST",
        "url.path": "/graphql",
        "url.scheme": "http",
        "http.response.status_code": 200,
        "flashmart.lane": "buy",
    }
    context = server.get_span_context()
    assert context is not None and context.trace_flags == 0x03  # sampled, random trace id
    assert server.resource is ratio_spans_resource(server)
    assert server.instrumentation_scope is not None
    assert server.instrumentation_scope.name == tracing.INSTRUMENTATION
    reserve = _one(found, "seckill.reserve")
    assert reserve.kind is SpanKind.CLIENT and _parent_of(reserve) == _span_id(server)
    assert reserve.attributes is not None
    assert reserve.attributes["flashmart.seckill.reserve_code"] == "OK"
    assert reserve.attributes["flashmart.seckill.ticket_id"] == ticket_id
    job = _one(found, "job persist_reservation")
    assert _parent_of(job) == _span_id(reserve)
    transaction = _one(found, "seckill.persist.transaction")
    assert _parent_of(transaction) == _parent_of(_one(found, "seckill.persist.settle"))
    assert _parent_of(transaction) == _span_id(job)
    assert "job persist_reservation" in by_sdk
    made_directly = {"POST /graphql", "seckill.reserve", "seckill.persist.transaction"}
    assert made_directly.isdisjoint(by_sdk), by_sdk


def ratio_spans_resource(span: ReadableSpan) -> Any:
    assert tracing.provider is not None
    return tracing.provider.resource


def _scenario() -> None:
    """Spans as the lane, the reserve call and the worker make them, one failing."""
    scope = {"method": "POST", "path": "/graphql", "scheme": "http", "headers": []}
    server = tracing.start_server_span("POST /graphql", scope)
    with trace.use_span(server, end_on_exit=False):
        attributes = {"db.system.name": "redis", "flashmart.seckill.event_id": 7}
        with tracing.span("seckill.reserve", kind=SpanKind.CLIENT, attributes=attributes) as r:
            tracing.set_attributes(r, {"flashmart.seckill.reserve_code": "OK"})
            with tracing.span("inner") as inner:
                inner.add_event("noted", {"n": 1})
        with pytest.raises(ValueError, match="no stock"), tracing.span("failing"):
            raise ValueError("no stock")
    tracing.set_attributes(server, {"http.response.status_code": 200, "flashmart.lane": "buy"})
    tracing.set_attributes(server, {"ratio": 0.5, "names": ("a", "b")})  # a tuple: the SDK's way
    server.end()  # type: ignore[attr-defined]
    with (
        tracing.span(
            "job x", kind=SpanKind.CONSUMER, parent=tracing.parent_from_traceparent(INCOMING)
        ),
        tracing.span("transaction"),
    ):
        pass
    headers = [(b"traceparent", INCOMING.encode()), (b"tracestate", b"vendor=a1")]
    continued = tracing.start_server_span("POST /graphql", {**scope, "headers": headers})
    with trace.use_span(continued, end_on_exit=True), tracing.span("under a remote parent"):
        pass


def _comparable(found: tuple[ReadableSpan, ...]) -> list[dict[str, Any]]:
    """The spans' fields, ids and times replaced by their relations."""
    index = {_span_id(s): i for i, s in enumerate(found)}
    rows = []
    for span in found:
        context = span.get_span_context()
        assert context is not None
        parent = span.parent
        events = [(e.name, dict(e.attributes or {})) for e in span.events]
        rows.append(
            {
                "name": span.name,
                "kind": span.kind,
                "parent": None if parent is None else index.get(parent.span_id, parent.span_id),
                "parent_remote": None if parent is None else parent.is_remote,
                "flags": int(context.trace_flags),
                "trace_state": str(context.trace_state),
                "remote": context.is_remote,
                "attributes": dict(span.attributes or {}),
                "dropped_attributes": span.dropped_attributes,
                "events": [
                    (n, {k: v for k, v in a.items() if k != "exception.stacktrace"})
                    for n, a in events
                ],
                "links": list(span.links),
                "status": (span.status.status_code, span.status.description),
                "scope": span.instrumentation_scope,
                "type": type(span).__name__,
                "ended": span.end_time is not None and span.start_time is not None,
                "same_trace": format(context.trace_id, "032x") == TRACE_ID
                or (parent is not None and parent.trace_id == context.trace_id)
                or parent is None,
            }
        )
    return rows


def test_spans_made_directly_are_the_spans_the_sdk_makes() -> None:
    from opentelemetry.sdk.trace.sampling import ParentBasedTraceIdRatio

    made: dict[bool, list[dict[str, Any]]] = {}
    for direct in (True, False):
        exporter = InMemorySpanExporter()
        provider = TracerProvider(
            sampler=ParentBasedTraceIdRatio(1.0), id_generator=tracing._RootIds()
        )
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        tracing.install(provider)
        try:
            assert tracing._direct
            tracing._direct = direct  # off: every span through the SDK tracer's start_span
            _scenario()
        finally:
            tracing.uninstall()
            provider.shutdown()
        made[direct] = _comparable(exporter.get_finished_spans())
    assert [s["name"] for s in made[True]] == [
        "inner", "seckill.reserve", "failing", "POST /graphql", "transaction", "job x",
        "under a remote parent", "POST /graphql",
    ]  # fmt: skip
    assert made[True] == made[False]
    failing = next(s for s in made[True] if s["name"] == "failing")
    assert failing["status"] == (trace.StatusCode.ERROR, "ValueError: no stock")
    under = next(s for s in made[True] if s["name"] == "under a remote parent")
    assert under["trace_state"] == str(TraceState([("vendor", "a1")]))  # the parent's


def test_spans_are_made_by_the_sdk_when_the_sampler_or_processors_are_others() -> None:
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import (
        ParentBased,
        ParentBasedTraceIdRatio,
        TraceIdRatioBased,
    )

    class Recording(SimpleSpanProcessor):
        pass  # a processor of its own may want on_start

    cases = [
        TracerProvider(),  # parent-based always-on
        TracerProvider(sampler=ParentBasedTraceIdRatio(0.5)),  # the SDK's ids
        TracerProvider(
            sampler=ParentBased(
                TraceIdRatioBased(0.5), local_parent_sampled=TraceIdRatioBased(0.1)
            ),
            id_generator=tracing._RootIds(),
        ),
    ]
    with_processor = TracerProvider(
        sampler=ParentBasedTraceIdRatio(1.0), id_generator=tracing._RootIds()
    )
    with_processor.add_span_processor(Recording(InMemorySpanExporter()))
    batch = TracerProvider(sampler=ParentBasedTraceIdRatio(1.0), id_generator=tracing._RootIds())
    batch.add_span_processor(BatchSpanProcessor(InMemorySpanExporter()))
    for provider, direct in [*((c, False) for c in cases), (with_processor, False), (batch, True)]:
        tracing.install(provider)
        try:
            assert tracing._direct is direct
        finally:
            tracing.uninstall()
            provider.shutdown()


def test_traceparent_is_written_as_the_w3c_propagator_writes_it() -> None:
    from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    for trace_id, span_id in ((0x4BF92F3577B34DA6A3CE929D0E0E4736, 0xF067AA0BA902B7), (1, 1)):
        for flags in (0x00, 0x01, 0x02, 0x03):
            span = NonRecordingSpan(SpanContext(trace_id, span_id, False, TraceFlags(flags)))
            carrier: dict[str, str] = {}
            TraceContextTextMapPropagator().inject(carrier, trace.set_span_in_context(span))
            assert tracing.traceparent(span) == carrier["traceparent"]
    assert tracing.traceparent(trace.INVALID_SPAN) is None
