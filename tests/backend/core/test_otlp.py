"""The lean OTLP encoder (core/otlp.py): its bytes decode to the very request the SDK's encoder
builds, for every kind of span and attribute; the exporter sends them over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from opentelemetry.exporter.otlp.proto.common.trace_encoder import (
    encode_spans as sdk_encode_spans,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import (
    Link,
    NonRecordingSpan,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
    TraceState,
    set_span_in_context,
)

from flashmart.core import otlp

REMOTE = SpanContext(
    0x4BF92F3577B34DA6A3CE929D0E0E4736,
    0x00F067AA0BA902B7,
    is_remote=True,
    trace_flags=TraceFlags(TraceFlags.SAMPLED),
    trace_state=TraceState([("vendor", "a1"), ("other", "b2")]),
)


def _provider(resource: Resource) -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def _varied_spans() -> list[ReadableSpan]:
    """Spans with every field the SDK's encoder sets, from two providers whose resources are
    equal but not the same object, and a third with another resource; several scopes."""
    made: list[ReadableSpan] = []
    resource = {"service.name": "flashmart-api", "deployment.environment": "test"}
    for attributes, schema in ((resource, ""), (resource, ""), ({"service.name": "w"}, "s:1")):
        provider, exporter = _provider(Resource.create(attributes, schema_url=schema or None))
        plain = provider.get_tracer("flashmart")
        versioned = provider.get_tracer(
            "lib", "1.2.3", schema_url="https://opentelemetry.io/schemas/1.21.0",
            attributes={"scope.attr": "x"},
        )  # fmt: skip
        with plain.start_as_current_span(
            "POST /graphql",
            kind=SpanKind.SERVER,
            context=set_span_in_context(NonRecordingSpan(REMOTE)),
        ) as server:
            server.set_attributes(
                {
                    "http.request.method": "POST",
                    "http.response.status_code": 200,
                    "negative": -42,
                    "zero": 0,
                    "big": 2**63 - 1,
                    "smallest": -(2**63),
                    "ratio": 0.25,
                    "flag": True,
                    "off": False,
                    "empty": "",
                    "unicode": "Größe ✓",
                    "names": ("a", "b"),
                    "numbers": [1, 2, 3],
                    "floats": (0.5, -1.5),
                    "flags": [True, False],
                }
            )
            server.add_event("started", {"n": 1, "what": "x"})
            server.add_event("plain")
            with versioned.start_as_current_span(
                "seckill.reserve",
                kind=SpanKind.CLIENT,
                links=[Link(REMOTE, {"link.attr": "l"}), Link(server.get_span_context())],
            ) as child:
                child.set_status(Status(StatusCode.ERROR, "went wrong"))
            with plain.start_as_current_span("", kind=SpanKind.CONSUMER) as unnamed:
                unnamed.set_status(StatusCode.OK)
        for kind in (SpanKind.INTERNAL, SpanKind.PRODUCER):
            plain.start_span(f"root {kind.name}", kind=kind).end()
        made.extend(exporter.get_finished_spans())
        provider.shutdown()
    return made


def _sdk(spans: list[ReadableSpan]) -> bytes:
    serialized: bytes = sdk_encode_spans(spans).SerializeToString(deterministic=True)
    return serialized


def _lean(spans: list[ReadableSpan]) -> bytes:
    decoded = ExportTraceServiceRequest.FromString(otlp.encode_spans(spans))
    serialized: bytes = decoded.SerializeToString(deterministic=True)
    return serialized


def test_the_lean_encoder_writes_the_request_the_sdk_builds() -> None:
    spans = _varied_spans()
    assert len(spans) == 15
    request = ExportTraceServiceRequest.FromString(otlp.encode_spans(spans))
    assert request == sdk_encode_spans(spans)
    assert _lean(spans) == _sdk(spans)
    # the groups as the SDK makes them: equal resources together, then the other one
    assert [len(r.scope_spans) for r in request.resource_spans] == [2, 2]
    assert [sum(len(s.spans) for s in r.scope_spans) for r in request.resource_spans] == [10, 5]
    assert request.resource_spans[1].schema_url == "s:1"
    first = [s for scope in request.resource_spans[0].scope_spans for s in scope.spans]
    server = next(s for s in first if s.kind == 2)  # SPAN_KIND_SERVER
    assert server.parent_span_id == REMOTE.span_id.to_bytes(8, "big")
    assert server.flags == 0x300  # the parent is remote
    assert server.trace_state == "vendor=a1,other=b2"
    values = {a.key: a.value for a in server.attributes}
    assert values["negative"].int_value == -42
    assert values["off"].HasField("bool_value") and not values["off"].bool_value
    assert values["unicode"].string_value == "Größe ✓"
    assert [v.string_value for v in values["names"].array_value.values] == ["a", "b"]
    # one span at a time, and none
    for span in spans:
        assert _lean([span]) == _sdk([span])
    assert otlp.encode_spans([]) == sdk_encode_spans([]).SerializeToString() == b""


def test_remembered_attribute_fields_are_told_apart_by_type_and_survive_clearing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The encoder remembers each (key, value) field it wrote: 1, True and 1.0 are equal keys
    in a dict but three fields; a full memory is cleared and the bytes stay the SDK's."""
    provider, exporter = _provider(Resource.create({"service.name": "flashmart-api"}))
    tracer = provider.get_tracer("flashmart")
    for value in (1, True, 1.0, 0, False, 0.0, "1", 1, True):
        with tracer.start_as_current_span("typed") as span:
            span.set_attribute("n", value)
    spans = list(exporter.get_finished_spans())
    for span in spans:
        assert _lean([span]) == _sdk([span])
    assert _lean(spans) == _sdk(spans)
    monkeypatch.setattr(otlp, "_PAIRS_MAX", 8)
    otlp._PAIRS.clear()
    for number in range(40):  # unique values fill the memory again and again
        with tracer.start_as_current_span("unique", kind=SpanKind.CLIENT) as span:
            span.set_attributes({"ticket": f"t{number}", "db.system.name": "redis"})
    unique = list(exporter.get_finished_spans())[len(spans) :]
    assert _lean(unique) == _sdk(unique)
    assert len(otlp._PAIRS) <= 8
    provider.shutdown()


def test_an_attribute_the_sdk_cannot_encode_is_left_out_as_the_sdk_leaves_it_out() -> None:
    provider, exporter = _provider(Resource.create({"service.name": "x"}))
    span = provider.get_tracer("t").start_span("s", attributes={"ok": "yes"})
    span.end()
    provider.shutdown()
    (finished,) = exporter.get_finished_spans()
    # a value the SDK's attribute checks would refuse, put there behind their back
    finished._attributes = {"ok": "yes", "huge": 2**70, "surrogate": "\ud800", "n": 3}
    assert _lean([finished]) == _sdk([finished])
    request = ExportTraceServiceRequest.FromString(otlp.encode_spans([finished]))
    keys = [a.key for a in request.resource_spans[0].scope_spans[0].spans[0].attributes]
    assert keys == ["ok", "n"]


def test_the_lean_encoder_matches_the_sdk_on_a_buy_s_spans() -> None:
    """The spans a sampled buy makes (tracing on in this process as the app makes them)."""
    from flashmart.core import tracing

    provider, exporter = _provider(Resource.create({"service.name": "flashmart-api"}))
    tracing.install(provider)
    try:
        scope = {"method": "POST", "path": "/graphql", "scheme": "http", "headers": []}
        server = tracing.start_server_span("POST /graphql", scope)
        with tracing.span(
            "seckill.reserve",
            kind=SpanKind.CLIENT,
            attributes={"db.system.name": "redis", "flashmart.seckill.event_id": 7},
            parent=set_span_in_context(server),
        ) as reserve:
            reserve.set_attribute("flashmart.seckill.reserve_code", "OK")
        server.set_attributes({"http.response.status_code": 200, "flashmart.lane": "buy"})
        server.end()  # type: ignore[attr-defined]
    finally:
        tracing.uninstall()
        provider.shutdown()
    spans = list(exporter.get_finished_spans())
    assert len(spans) == 2
    assert _lean(spans) == _sdk(spans)


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self) -> None:  # http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        type(self).bodies.append(self.rfile.read(length))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[bytes]]]:
    bodies: list[bytes] = []
    handler = type("Receiver", (_Receiver,), {"bodies": bodies})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces", bodies
    finally:
        server.shutdown()
        server.server_close()


def test_the_exporter_posts_the_lean_bytes(receiver: tuple[str, list[bytes]]) -> None:
    endpoint, bodies = receiver
    spans = _varied_spans()
    exporter = otlp.LeanOTLPSpanExporter(endpoint=endpoint)
    try:
        assert exporter.export(spans) == SpanExportResult.SUCCESS
    finally:
        exporter.shutdown()
    assert len(bodies) == 1
    assert ExportTraceServiceRequest.FromString(bodies[0]) == sdk_encode_spans(spans)
    assert exporter.export(spans) == SpanExportResult.FAILURE  # shut down


def test_the_exporter_fails_a_batch_the_collector_refuses(
    receiver: tuple[str, list[bytes]],
) -> None:
    endpoint, bodies = receiver
    exporter = otlp.LeanOTLPSpanExporter(endpoint=endpoint.replace("/v1/traces", "/nothing"))
    exporter._max_request_size = 10  # the SDK's limit, checked before sending
    try:
        assert exporter.export(_varied_spans()) == SpanExportResult.FAILURE
    finally:
        exporter.shutdown()
    assert bodies == []
