"""The OTLP/HTTP span exporter with a lean encoder (core/tracing.py installs it).

The SDK's exporter encodes a batch by building one protobuf object per span, per attribute,
per value (`opentelemetry.exporter.otlp.proto.common.trace_encoder.encode_spans`); with the
upb runtime every nested object handed to its parent's constructor is copied, by serializing
and parsing it again, and a span ends up encoded and decoded several times before the request
is serialized. That runs in the export thread, which holds the GIL while the event loop waits:
counted by callgrind, it was the largest single cost of a sampled buy in the API (more than
making its spans). `encode_spans` here writes the same `ExportTraceServiceRequest` directly in
the protobuf wire format: spans grouped by resource and instrumentation scope as the SDK groups
them, every field the SDK sets with the value it sets (tests/backend/test_otlp.py decodes both
and compares them). Attribute values other than strings, booleans, 64-bit integers and floats
(arrays, bytes, maps, and anything the SDK refuses) are encoded by the SDK's own functions, so
what the SDK would drop (and log) is dropped here too.

`LeanOTLPSpanExporter` is the SDK's `OTLPSpanExporter` (endpoint, headers, timeout, compression,
retries and its size limit, all from the same OTEL_EXPORTER_OTLP_* variables) with that encoder.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry.attributes import BoundedAttributes
from opentelemetry.exporter.otlp.proto.common._internal import (
    _encode_instrumentation_scope,
    _encode_key_value,
    _encode_resource,
)
from opentelemetry.exporter.otlp.proto.http._common import (
    RequestPayloadTooLargeError,
    _is_request_too_large,
)
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PB2Span
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExportResult
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.semconv.attributes.http_attributes import HTTP_RESPONSE_STATUS_CODE
from opentelemetry.trace import SpanKind

logger = logging.getLogger("flashmart.tracing")

_KIND = {
    SpanKind.INTERNAL: PB2Span.SpanKind.SPAN_KIND_INTERNAL,
    SpanKind.SERVER: PB2Span.SpanKind.SPAN_KIND_SERVER,
    SpanKind.CLIENT: PB2Span.SpanKind.SPAN_KIND_CLIENT,
    SpanKind.PRODUCER: PB2Span.SpanKind.SPAN_KIND_PRODUCER,
    SpanKind.CONSUMER: PB2Span.SpanKind.SPAN_KIND_CONSUMER,
}
_HAS_IS_REMOTE = 0x100  # SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK
_IS_REMOTE = 0x200  # SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK
_INT64 = 1 << 63
_DOUBLE = struct.Struct("<d")
_FIXED64 = struct.Struct("<Q")
_FIXED32 = struct.Struct("<I")
# A few varints, precomputed (tags, lengths and counts under 128 are one byte).
_SMALL = [bytes([n]) for n in range(128)]


def _varint(value: int) -> bytes:
    if value < 128:
        return _SMALL[value]
    out = bytearray()
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _field(tag: bytes, payload: bytes) -> bytes:
    """A length-delimited field: tag, length, payload."""
    return tag + _varint(len(payload)) + payload


def _key_value(key: str, value: Any) -> bytes:
    """One KeyValue's bytes; the SDK's own encoding for the value types not written here."""
    kind = type(value)
    encoded: bytes
    if kind is str:
        raw: bytes = value.encode()
        encoded = b"\x0a" + _varint(len(raw)) + raw
    elif kind is bool:
        encoded = b"\x10\x01" if value else b"\x10\x00"
    elif kind is int and -_INT64 <= value < _INT64:
        encoded = b"\x18" + _varint(value if value >= 0 else value + (1 << 64))
    elif kind is float:
        encoded = b"\x21" + _DOUBLE.pack(value)
    else:
        return _key_value_by_sdk(key, value)
    head = _KEYS.get(key)
    if head is None:
        name = key.encode()
        head = b"\x0a" + _varint(len(name)) + name if name else b""
        if len(_KEYS) < 4096:  # attribute keys are a small set
            _KEYS[key] = head
    return head + b"\x12" + _varint(len(encoded)) + encoded


_KEYS: dict[str, bytes] = {}


def _key_value_by_sdk(key: str, value: Any) -> bytes:
    encoded: bytes = _encode_key_value(key, value).SerializePartialToString()
    return encoded


def _attributes(tag: bytes, attributes: Mapping[str, Any] | None) -> bytes:
    """Repeated KeyValue fields; a key the SDK cannot encode is left out and logged, as the
    SDK's `_encode_attributes` does. A span's attributes are read from the dict inside its
    `BoundedAttributes` (its Mapping methods take a lock per key); a (key, value) pair of the
    plain types is encoded once (`_PAIRS`: a span's attributes repeat from span to span)."""
    if not attributes:
        return b""
    plain = attributes._dict if type(attributes) is BoundedAttributes else attributes
    pairs = _PAIRS
    parts = []
    for key, value in plain.items():
        kind = type(value)
        field = pairs.get((tag, key, kind, value)) if kind in _CACHED else None
        if field is None:
            try:
                encoded = _key_value(key, value)
            except Exception as error:  # the SDK's own handling
                logger.exception("Failed to encode key %s: %s", key, error)
                continue
            field = tag + _varint(len(encoded)) + encoded
            if kind in _CACHED:
                if len(pairs) >= _PAIRS_MAX:  # unique values (ticket ids) pass through
                    pairs.clear()
                pairs[(tag, key, kind, value)] = field
        parts.append(field)
    return b"".join(parts)


# Encoded attribute fields by (tag, key, type, value): the type is part of the key because
# 1 == True == 1.0 in a dict. Cleared when full.
_PAIRS: dict[tuple[bytes, str, type, Any], bytes] = {}
_PAIRS_MAX = 4096
_CACHED = frozenset((str, int, bool, float))


def _flags(parent: Any) -> bytes:
    flags = _HAS_IS_REMOTE | (_IS_REMOTE if parent and parent.is_remote else 0)
    return b"\x85\x01" + _FIXED32.pack(flags)  # field 16, fixed32


def _span(span: ReadableSpan) -> bytes:
    """One Span message's bytes, as `trace_encoder._encode_span` sets its fields."""
    context = span.get_span_context()
    assert context is not None
    parts = [
        b"\x0a\x10" + context.trace_id.to_bytes(16, "big"),
        b"\x12\x08" + context.span_id.to_bytes(8, "big"),
    ]
    state = context.trace_state
    if state:  # a TraceState is a Mapping: empty is falsy
        text = ",".join([f"{key}={value}" for key, value in state.items()])
        if text:
            parts.append(_field(b"\x1a", text.encode()))
    parent = span.parent
    if parent:
        parts.append(b"\x22\x08" + parent.span_id.to_bytes(8, "big"))
    head = _HEADS.get((span.name, span.kind))
    if head is None:
        head = _field(b"\x2a", span.name.encode()) if span.name else b""
        head += b"\x30" + _varint(_KIND[span.kind])
        if len(_HEADS) >= _PAIRS_MAX:
            _HEADS.clear()
        _HEADS[(span.name, span.kind)] = head
    parts.append(head)
    if span.start_time:
        parts.append(b"\x39" + _FIXED64.pack(span.start_time))
    if span.end_time:
        parts.append(b"\x41" + _FIXED64.pack(span.end_time))
    parts.append(_attributes(b"\x4a", span._attributes))  # not the read-only view
    if span.dropped_attributes:
        parts.append(b"\x50" + _varint(span.dropped_attributes))
    for event in span._events or ():  # the tuples the properties copy
        body = b"\x09" + _FIXED64.pack(event.timestamp) if event.timestamp else b""
        if event.name:
            body += _field(b"\x12", event.name.encode())
        body += _attributes(b"\x1a", event.attributes)
        if event.dropped_attributes:
            body += b"\x20" + _varint(event.dropped_attributes)
        parts.append(_field(b"\x5a", body))
    if span.dropped_events:
        parts.append(b"\x60" + _varint(span.dropped_events))
    for link in span._links or ():
        body = b"\x0a\x10" + link.context.trace_id.to_bytes(16, "big")
        body += b"\x12\x08" + link.context.span_id.to_bytes(8, "big")
        body += _attributes(b"\x22", link.attributes)
        if link.dropped_attributes:
            body += b"\x28" + _varint(link.dropped_attributes)
        body += b"\x35" + _FIXED32.pack(
            _HAS_IS_REMOTE | (_IS_REMOTE if link.context.is_remote else 0)
        )
        parts.append(_field(b"\x6a", body))
    if span.dropped_links:
        parts.append(b"\x70" + _varint(span.dropped_links))
    status = span.status
    if status is not None:
        body = _field(b"\x12", status.description.encode()) if status.description else b""
        if status.status_code.value:
            body += b"\x18" + _varint(status.status_code.value)
        parts.append(_field(b"\x7a", body))
    parts.append(_flags(parent))
    return b"".join(parts)


# A span's name and kind fields by (name, kind): a process names few spans.
_HEADS: dict[tuple[str, SpanKind], bytes] = {}


def encode_spans(spans: Sequence[ReadableSpan]) -> bytes:
    """The serialized `ExportTraceServiceRequest` of `spans` (what the SDK's `encode_spans`
    builds, then serializes)."""
    # Grouped as the SDK groups them: by resource (equal resources together), then by scope.
    groups: dict[int, tuple[Resource, dict[InstrumentationScope | None, list[bytes]]]] = {}
    for span in spans:
        resource = span.resource
        group = groups.get(id(resource))
        if group is None:
            group = groups[id(resource)] = (resource, {})
        group[1].setdefault(span.instrumentation_scope or None, []).append(
            _field(b"\x12", _span(span))
        )
    merged: list[tuple[Resource, dict[InstrumentationScope | None, list[bytes]]]] = []
    for resource, scopes in groups.values():
        same = next((m for m in merged if m[0] == resource), None)
        if same is None:
            merged.append((resource, scopes))
            continue
        for scope, encoded in scopes.items():
            same[1].setdefault(scope, []).extend(encoded)
    request = []
    for resource, scopes in merged:
        body = [_field(b"\x0a", _resource_bytes(resource))]
        for scope, encoded in scopes.items():
            scope_spans = [_field(b"\x0a", _scope_bytes(scope)), *encoded]
            if scope is not None and scope.schema_url:
                scope_spans.append(_field(b"\x1a", scope.schema_url.encode()))
            body.append(_field(b"\x12", b"".join(scope_spans)))
        if resource.schema_url:
            body.append(_field(b"\x1a", resource.schema_url.encode()))
        request.append(_field(b"\x0a", b"".join(body)))
    return b"".join(request)


# A process has one resource and a few scopes: their bytes are made once, by the SDK's code.
_RESOURCES: dict[int, tuple[Resource, bytes]] = {}
_SCOPES: dict[InstrumentationScope | None, bytes] = {}


def _resource_bytes(resource: Resource) -> bytes:
    known = _RESOURCES.get(id(resource))
    if known is None or known[0] is not resource:
        encoded: bytes = _encode_resource(resource).SerializePartialToString()
        if len(_RESOURCES) > 64:
            _RESOURCES.clear()
        known = _RESOURCES[id(resource)] = (resource, encoded)
    return known[1]


def _scope_bytes(scope: InstrumentationScope | None) -> bytes:
    known = _SCOPES.get(scope)
    if known is None:
        known = _encode_instrumentation_scope(scope).SerializePartialToString()  # type: ignore[arg-type]
        if len(_SCOPES) > 256:
            _SCOPES.clear()
        _SCOPES[scope] = known
    return known


class LeanOTLPSpanExporter(OTLPSpanExporter):
    """The SDK's OTLP/HTTP span exporter, its `export` with `encode_spans` above."""

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        # The SDK's `OTLPSpanExporter.export` (1.45), the encoding aside.
        if self._shutdown:
            logger.warning("Exporter already shutdown, ignoring batch")
            return SpanExportResult.FAILURE
        with self._metrics.export_operation(len(spans)) as result:
            try:
                serialized = encode_spans(spans)
            except Exception as error:  # noqa: BLE001 - as the SDK reports it
                logger.error("Failed to encode span batch: %s", error)
                result.error = error
                return SpanExportResult.FAILURE
            if _is_request_too_large(serialized, self._max_request_size):
                logger.warning(
                    "Dropping span batch: serialized size %d bytes exceeds max_request_size "
                    "%d bytes.",
                    len(serialized),
                    self._max_request_size,
                )
                result.error = RequestPayloadTooLargeError(
                    f"Serialized span request size {len(serialized)} bytes exceeds "
                    f"max_request_size {self._max_request_size} bytes."
                )
                return SpanExportResult.FAILURE
            exported = self._client.export(serialized)
            if not exported.success:
                result.error = exported.error
                result.error_attrs = (
                    {HTTP_RESPONSE_STATUS_CODE: exported.status_code}
                    if exported.status_code is not None
                    else None
                )
                return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS
