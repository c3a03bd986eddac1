"""OpenTelemetry tracing, off unless the environment asks for it (docs/observability.md).

Tracing is on in a process when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_TRACES_EXPORTER`) is set and neither
`OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none` turns it off. `setup` is called once
per process by the API app factory and the worker's start-up; it installs a tracer provider
with a `BatchSpanProcessor` in front of the OTLP/HTTP exporter (`otlp`, the default: the SDK's,
with the lean encoder of core/otlp.py) or the console exporter (`console`). The SDK reads the
other standard variables itself: `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`, the sampler
(`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`), the exporter's endpoint, headers and
timeout, the batch processor's queue and delays.

When tracing is off nothing is installed: `tracer` stays None and every hot path pays one
`tracing.tracer is None` test, nothing else (no tracer calls, no context propagation).

The trace crosses the queue as a W3C `traceparent` string in the job's keyword arguments
(`JOB_TRACEPARENT`), written only when tracing is on in the process that queues the job.

A span a later, separate request should point back to (the checkout and the payment's opening,
named by the provider's webhook) is remembered in Redis under a key of its object
(`remember`, for `CARRIED_SECONDS`); that request's span then LINKS to it (`link_remembered`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Awaitable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from random import getrandbits
from typing import TypeVar

from opentelemetry import trace
from opentelemetry.attributes import BoundedAttributes
from opentelemetry.context import Context
from opentelemetry.sdk.resources import SERVICE_NAME, OTELResourceDetector, Resource
from opentelemetry.sdk.trace import Tracer as SdkTracer
from opentelemetry.sdk.trace import TracerProvider, _Span
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased, TraceIdRatioBased
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, SpanKind, TraceFlags, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("flashmart.tracing")
T = TypeVar("T")

# The hot paths' one branch: None while tracing is off in this process.
tracer: Tracer | None = None
provider: TracerProvider | None = None
# The traceparent of the buy lane's server span while it answers a request whose trace the
# sampler dropped (app.py `_traced_answer`): the reserve call hands the same string to the
# persist job instead of formatting it again (seckill/store.py). For a new trace dropped by
# `open_server_span` it is all there is (no span, no OpenTelemetry context): `traceparent`,
# `log_ids` and `span` read it when no span is current, so log lines carry its ids and a span
# started meanwhile is its (dropped) child.
dropped_traceparent: ContextVar[str | None] = ContextVar("dropped_traceparent", default=None)
# The root sampler's bound when the provider samples new traces by trace-id ratio with our
# ids (`_RootIds`): `start_server_span` then drops a new trace without the SDK (see there).
_root_bound: int | None = None
_root_ids: _RootIds | None = None  # the provider's id generator when it is ours
# Whether this process's spans may be made without the SDK tracer's `start_span` (`_direct_ok`):
# a new trace `start_server_span` samples, and a child of a sampled local span (`span`).
_direct = False

JOB_TRACEPARENT = "traceparent"  # the job keyword argument that carries the trace
INSTRUMENTATION = "flashmart"
_PROPAGATOR = TraceContextTextMapPropagator()
_ENDPOINTS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# How long a remembered span context waits for the request that links to it (a payment's
# webhook comes within the order's payment window; the reconciler gives up after a day).
CARRIED_SECONDS = 24 * 3600


def requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment turns tracing on (see the module docstring)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = _exporter_names(environ)
    if exporters == ["none"]:
        return False
    return bool(environ.get("OTEL_TRACES_EXPORTER", "").strip()) or any(
        environ.get(name, "").strip() for name in _ENDPOINTS
    )


def setup(service_name: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Install tracing when the environment asks for it, once per process; True when on.
    `service_name` is used when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES
    names the service."""
    if provider is not None:
        return True
    if not requested(environ):
        return False
    detected = OTELResourceDetector().detect()
    attributes = {} if SERVICE_NAME in detected.attributes else {SERVICE_NAME: service_name}
    made = TracerProvider(  # sampler from OTEL_TRACES_*
        resource=Resource.create(attributes), id_generator=_RootIds()
    )
    for exporter in _exporters(environ):
        made.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(made)
    install(made)
    logger.info("tracing on: service %s", made.resource.attributes.get(SERVICE_NAME))
    return True


def install(chosen: TracerProvider) -> None:
    """Turn tracing on with `chosen` (tests pass one with an in-memory exporter): our spans,
    the HTTP middleware, Strawberry's extension and asyncpg's queries use it."""
    global tracer, provider, _root_bound, _root_ids, _direct
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

    provider = chosen
    tracer = chosen.get_tracer(INSTRUMENTATION)
    _root_bound = _ratio_bound(chosen)
    _root_ids = chosen.id_generator if isinstance(chosen.id_generator, _RootIds) else None
    _direct = _direct_ok(chosen, tracer)
    AsyncPGInstrumentor().instrument(  # type: ignore[no-untyped-call]
        tracer_provider=chosen, skip_dep_check=True
    )


def uninstall() -> None:
    """Tracing off again (tests): apps and workers built afterwards install nothing."""
    global tracer, provider, _root_bound, _root_ids, _direct
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

    AsyncPGInstrumentor().uninstrument()  # type: ignore[no-untyped-call]
    tracer = provider = _root_bound = _root_ids = None
    _direct = False


class _RootIds(RandomIdGenerator):
    """The SDK's random ids, except that `start_server_span` may choose the next trace id
    (`preset`): the root span the tracer starts next in this thread gets it."""

    def __init__(self) -> None:
        self._next = threading.local()

    def preset(self, trace_id: int) -> None:
        self._next.trace_id = trace_id

    def generate_trace_id(self) -> int:
        chosen: int | None = getattr(self._next, "trace_id", None)
        if chosen is None:
            return super().generate_trace_id()
        self._next.trace_id = None
        return chosen


def _ratio_bound(chosen: TracerProvider) -> int | None:
    """The trace-id bound of `chosen`'s root sampler when it is `parentbased_traceidratio`
    (or `traceidratio`) over `_RootIds`, else None (every span goes through the SDK)."""
    sampler = chosen.sampler
    if isinstance(sampler, ParentBased):
        sampler = sampler._root  # the SDK keeps the root sampler here
    if not isinstance(sampler, TraceIdRatioBased) or not isinstance(chosen.id_generator, _RootIds):
        return None
    return sampler.bound


def _direct_ok(chosen: TracerProvider, made: Tracer) -> bool:
    """Whether our spans may be made directly (`_recording_span`): the sampler is the ratio one
    over `_RootIds` (`_root_bound`), a sampled local parent's children are always sampled
    (`ParentBased`'s default), the span processors are the SDK's batch or simple ones (which do
    nothing when a span starts), and no limit on attribute lengths is set (the values we write
    need no truncation)."""
    sampler = chosen.sampler
    if _ratio_bound(chosen) is None or not isinstance(made, SdkTracer):
        return False
    if isinstance(sampler, ParentBased) and sampler._local_parent_sampled is not ALWAYS_ON:
        return False
    processors = chosen._active_span_processor._span_processors
    if not all(type(p) in (BatchSpanProcessor, SimpleSpanProcessor) for p in processors):
        return False
    return made._span_limits.max_span_attribute_length is None


def _exporter_names(environ: Mapping[str, str]) -> list[str]:
    raw = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() or "otlp"
    return [name.strip() for name in raw.split(",") if name.strip()]


def _exporters(environ: Mapping[str, str]) -> list[SpanExporter]:
    exporters: list[SpanExporter] = []
    for name in _exporter_names(environ):
        if name == "otlp":
            protocol = (
                environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
                or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
                or "http/protobuf"
            ).strip()
            if protocol != "http/protobuf":
                raise RuntimeError(
                    f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol}: FlashMart ships the OTLP exporter "
                    "over HTTP only; use http/protobuf (the collector's port 4318)"
                )
            from flashmart.core.otlp import LeanOTLPSpanExporter

            # The SDK's exporter with a cheaper encoder (core/otlp.py); endpoint, headers,
            # timeout, compression: OTEL_EXPORTER_*, as the SDK reads them.
            exporters.append(LeanOTLPSpanExporter())
        elif name == "console":
            exporters.append(ConsoleSpanExporter())
        elif name != "none":
            raise RuntimeError(f"OTEL_TRACES_EXPORTER={name}: use otlp, console or none")
    return exporters


# --- context across processes -------------------------------------------------------------
def parent_from_headers(headers: Iterable[tuple[bytes, bytes]]) -> Context:
    """The remote parent an HTTP request names (W3C `traceparent`, `tracestate`); an empty
    context (a new trace) when it names none or a malformed one."""
    carrier: dict[str, str] = {}
    for name, value in headers:
        if name in (b"traceparent", b"tracestate"):
            carrier[name.decode()] = value.decode("latin-1")
    return _PROPAGATOR.extract(carrier) if carrier else Context()


def parent_from_traceparent(traceparent: str | None) -> Context:
    return _PROPAGATOR.extract({"traceparent": traceparent}) if traceparent else Context()


def traceparent(span: Span | None = None) -> str | None:
    """The W3C `traceparent` of `span` (else the current span); None without a valid one.
    Formatted here (version 00) rather than through the propagator: it runs on every traced
    buy, and the propagator's inject goes through a context and a carrier to write the same."""
    context = (span if span is not None else trace.get_current_span()).get_span_context()
    if not context.is_valid:
        return dropped_traceparent.get() if span is None else None
    ids = (context.trace_id, context.span_id, context.trace_flags)
    return "00-%032x-%016x-%02x" % ids  # noqa: UP031 - a third cheaper than the f-string


async def remember(redis: Redis, key: str, span: Span) -> None:
    """Keep `span`'s context under `key` for a later request to link to (tracing on). A Redis
    failure loses the link, never the request."""
    value = traceparent(span)
    if value is None:
        return
    try:
        await redis.set(key, value, ex=CARRIED_SECONDS)
    except RedisError as exc:
        logger.warning("span context not remembered: %r", exc)


async def link_remembered(redis: Redis, span: Span, keys: Iterable[str]) -> int:
    """Link `span` to the span contexts remembered under `keys` (each once); how many."""
    try:
        values = await redis.mget(list(keys))
    except RedisError as exc:
        logger.warning("remembered span contexts not read: %r", exc)
        return 0
    linked: set[tuple[int, int]] = set()
    for raw in values:
        if raw is None:
            continue
        context = trace.get_current_span(parent_from_traceparent(raw.decode())).get_span_context()
        if context.is_valid and (context.trace_id, context.span_id) not in linked:
            linked.add((context.trace_id, context.span_id))
            span.add_link(context)
    return len(linked)


def log_ids() -> tuple[str, str] | None:
    """(trace id, span id) of the current span in hex, for log lines; None without one."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        dropped = dropped_traceparent.get()
        return None if dropped is None else (dropped[3:35], dropped[36:52])
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def _dropped_context(value: str) -> SpanContext:
    """The span context of a dropped new trace's traceparent (`open_server_span`)."""
    return SpanContext(int(value[3:35], 16), int(value[36:52], 16), False, _DROPPED)


# --- spans --------------------------------------------------------------------------------
@contextmanager
def span(
    name: str,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, str | int] | None = None,
    parent: Context | None = None,
) -> Iterator[Span]:
    """A current span (only call while tracing is on). A child of a sampled span of this process
    is made directly (`_child`) when `_direct`: the same span as the SDK's tracer makes, made
    current, ended and, on an exception, marked as `start_as_current_span` does (`use_span`)."""
    assert tracer is not None, "tracing is off"
    dropped = dropped_traceparent.get() if parent is None else None
    if dropped is not None and not trace.get_current_span().get_span_context().is_valid:
        # the lane's dropped new trace (`open_server_span`): this span is its dropped child
        parent = trace.set_span_in_context(NonRecordingSpan(_dropped_context(dropped)))
    if _direct:
        made = _child(name, kind, attributes, parent)
        if made is not None:
            with trace.use_span(made, end_on_exit=True):
                yield made
            return
    with tracer.start_as_current_span(
        name, context=parent, kind=kind, attributes=dict(attributes or {})
    ) as current:
        yield current


@contextmanager
def optional_span(
    name: str,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[Span | None]:
    """A current span while tracing is on, else None (for paths that are not hot)."""
    if tracer is None:
        yield None
        return
    with span(name, kind=kind, attributes=attributes) as current:
        yield current


async def in_span(
    name: str,
    work: Awaitable[T],
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, str | int] | None = None,
) -> T:
    """`await work` inside a span (only call while tracing is on)."""
    with span(name, kind=kind, attributes=attributes):
        return await work


def start_server_span(name: str, scope: Scope) -> Span:
    """An HTTP server span, child of the request's `traceparent` (not current; not ended);
    `open_server_span`'s dropped new trace as a non-recording span."""
    made = open_server_span(name, scope)
    if isinstance(made, str):
        return NonRecordingSpan(_dropped_context(made))
    return made


def open_server_span(name: str, scope: Scope) -> Span | str:
    """An HTTP server span, child of the request's `traceparent` (not current; not ended); a
    new trace the sampler drops is only its `traceparent` string (the buy lane's case: no span
    object, no context attached; `dropped_traceparent` carries it, see there).

    A request that starts a new trace is sampled here, without the SDK's `start_span` (a third
    of the cost tracing adds to an unsampled buy): the trace id is drawn as the provider's id
    generator (`_RootIds`, the SDK's random one) draws it and tested against the ratio
    sampler's bound exactly as `TraceIdRatioBased` tests it. A trace id that passes gets its
    recording span made directly (`_recording_span`) when `_direct`, else it is handed to the
    SDK (`_RootIds.preset`), whose sampler then samples it."""
    assert tracer is not None, "tracing is off"
    headers = scope["headers"]
    if _root_bound is not None and _new_trace(headers):
        ids = _root_ids
        if ids is not None:
            trace_id = _random_id(128)  # as `RandomIdGenerator` draws it (`_root_bound`: ours)
            if trace_id & TraceIdRatioBased.TRACE_ID_LIMIT >= _root_bound:
                return _DROPPED_FORMAT % (trace_id, _random_id(64))
            if _direct:  # sampled: the span the SDK would make, made here
                context = SpanContext(trace_id, _random_id(64), False, _SAMPLED)
                return _recording_span(name, SpanKind.SERVER, context, None, _http(scope))
            ids.preset(trace_id)
    return tracer.start_span(
        name,
        context=parent_from_headers(headers),
        kind=SpanKind.SERVER,
        attributes=_http(scope),
    )


def _http(scope: Scope) -> dict[str, str | int]:
    return {
        "http.request.method": scope["method"],
        "url.path": scope["path"],
        "url.scheme": scope.get("scheme", "http"),
    }


_TRACE_HEADERS = frozenset((b"traceparent", b"tracestate"))


def _new_trace(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    for name, _ in headers:  # noqa: SIM110 - a loop costs less than all() over a generator
        if name in _TRACE_HEADERS:
            return False
    return True


def _random_id(bits: int) -> int:
    """A random trace (128 bits) or span (64) id, drawn as the SDK's `RandomIdGenerator` draws
    it (`random.getrandbits`, zero, the invalid id, drawn again)."""
    drawn = getrandbits(bits)
    while not drawn:
        drawn = getrandbits(bits)
    return drawn


# A dropped root span's flags as the SDK sets them: not sampled, the trace id random.
_DROPPED = TraceFlags(TraceFlags.DEFAULT | TraceFlags.RANDOM_TRACE_ID)
# Its traceparent, as `traceparent` writes it (the ids filled in by `open_server_span`).
_DROPPED_FORMAT = "00-%032x-%016x-" + format(_DROPPED, "02x")
# A sampled root span's flags as the SDK sets them.
_SAMPLED = TraceFlags(TraceFlags.SAMPLED | TraceFlags.RANDOM_TRACE_ID)
_PLAIN = (str, int, bool, float)


# --- spans made directly --------------------------------------------------------------------
# The SDK tracer's `start_span` asks the sampler, looks the parent up again and checks every
# attribute value (type by type, through abstract base classes) before it builds the span: for
# a sampled buy that was most of the cost of its spans (bench/trace_cpu.py). When `_direct`
# says the outcome is known (the sampler's decision is taken already, or a sampled parent's
# child is always sampled), the span is built here as `Tracer.start_span` builds it: the SDK's
# own span class, the same ids, flags, trace state, parent, resource, scope and limits, started
# and ended by the SDK (so the span processors see it as ever); only the checks of values
# that need none (str, int, bool, float) are skipped (`set_attributes`).
def _recording_span(
    name: str,
    kind: SpanKind,
    context: SpanContext,
    parent: SpanContext | None,
    attributes: Mapping[str, str | int] | None,
) -> Span:
    made = tracer
    assert isinstance(made, SdkTracer)
    span = _Span(
        name=name,
        context=context,
        parent=parent,
        sampler=made.sampler,
        resource=made.resource,
        span_processor=made.span_processor,
        kind=kind,
        instrumentation_info=made.instrumentation_info,
        limits=made._span_limits,
        instrumentation_scope=made._instrumentation_scope,
    )
    if attributes:
        set_attributes(span, attributes)
    span.start()
    return span


def _child(
    name: str, kind: SpanKind, attributes: Mapping[str, str | int] | None, parent: Context | None
) -> Span | None:
    """A sampled child of the (given or current) span, made directly; None when the parent is
    not a sampled span of this process (the SDK's sampler decides then)."""
    above = trace.get_current_span(parent).get_span_context()
    if not above.is_valid or above.is_remote or not above.trace_flags.sampled:
        return None
    ids = provider.id_generator if provider is not None else None
    if ids is None:
        return None
    flags = TraceFlags(TraceFlags.SAMPLED | (above.trace_flags & TraceFlags.RANDOM_TRACE_ID))
    context = SpanContext(
        above.trace_id,
        ids.generate_span_id(),
        is_remote=False,
        trace_flags=flags,
        trace_state=above.trace_state,
    )
    return _recording_span(name, kind, context, above, attributes)


def set_attributes(span: Span, attributes: Mapping[str, str | int]) -> None:
    """`span.set_attributes(attributes)`; on a recording SDK span, values that need no check
    (str, int, bool, float, with no length limit) are stored without the SDK's checks."""
    bounded = getattr(span, "_attributes", None)
    if (
        _direct
        and isinstance(bounded, BoundedAttributes)
        and bounded.max_value_len is None
        and not bounded._immutable  # the span has not ended
        and (bounded.maxlen is None or len(bounded) + len(attributes) <= bounded.maxlen)
        and all(type(value) in _PLAIN for value in attributes.values())
    ):
        bounded._dict.update(attributes)
        return
    span.set_attributes(attributes)


# --- HTTP ---------------------------------------------------------------------------------
class ResponseTraceparent:
    """Adds the current span's `traceparent` to every HTTP response (inside the OpenTelemetry
    middleware, whose server span is then current); installed only while tracing is on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        value = traceparent()

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start" and value is not None:
                headers = [*message.get("headers", []), (b"traceparent", value.encode())]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_header)
