"""Spans of generic GraphQL execution (Strawberry's OpenTelemetry extension), when tracing is on.

Strawberry's extension records the operation, parsing, validation and every non-trivial
resolver. Its operation span would also carry the whole query text and its resolver spans every
argument; both are what a client typed (a password may be among them), so here neither is
recorded: spans carry the operation name, the field path and the parent type only.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from graphql import GraphQLResolveInfo
from opentelemetry.trace import SpanKind
from strawberry.extensions import LifecycleStep
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.types import ExecutionContext

from flashmart.core import tracing


def _no_arguments(args: dict[str, Any], info: GraphQLResolveInfo[Any]) -> dict[str, Any]:
    return {}


class GraphQLTracing(OpenTelemetryExtension):
    """Strawberry's spans on this process's tracer provider, without query text or arguments."""

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        super().__init__(
            execution_context=execution_context,
            arg_filter=_no_arguments,
            tracer_provider=tracing.provider,
        )

    def on_operation(self) -> Generator[None, None, None]:
        named = self.execution_context.operation_name
        span = self._tracer.start_span(
            f"GraphQL {named or 'operation'}",
            kind=SpanKind.INTERNAL,  # the HTTP server span is the request's
            attributes={"component": "graphql"},
        )
        self._span_holder[LifecycleStep.OPERATION] = span
        yield
        if not named and self.execution_context.operation_name:  # known once parsed
            span.update_name(f"GraphQL {self.execution_context.operation_name}")
        span.end()
