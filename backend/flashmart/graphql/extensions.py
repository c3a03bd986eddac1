"""Schema extensions: authentication gate and per-operation metrics and access logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from graphql import DocumentNode, FieldNode, OperationDefinitionNode, OperationType
from strawberry.extensions import SchemaExtension

from flashmart.core import metrics
from flashmart.core.errors import unauthenticated

access_log = logging.getLogger("flashmart.access")


# Operations that obtain or end a session: a client whose access token just expired still
# sends it out of habit, and must be able to refresh or sign in again (or open the link of a
# verification email).
SESSION_FIELDS = frozenset(
    {"tokenCreate", "tokenRefresh", "tokenRevoke", "accountRegister", "accountVerifyEmail"}
)


def _only_session_fields(document: DocumentNode | None, operation_name: str | None) -> bool:
    if document is None:
        return False
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and (definition.name is None or definition.name.value != operation_name):
            continue
        selections = definition.selection_set.selections
        return bool(selections) and all(
            isinstance(s, FieldNode) and s.name.value in SESSION_FIELDS for s in selections
        )
    return False


class AuthenticationGate(SchemaExtension):
    """A request with a bearer token we cannot accept fails whole (never silently anonymous),
    except the session operations themselves (sign in, refresh, sign out, register)."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        problem = ctx.context.auth_problem
        if problem and not _only_session_fields(ctx.graphql_document, ctx.operation_name):
            raise unauthenticated(problem)
        yield


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        ctx = self.execution_context
        name = ctx.operation_name or "anonymous"
        try:
            op_type = ctx.operation_type.value
        except RuntimeError:  # the document did not parse
            op_type = OperationType.QUERY.value
        result = ctx.result
        outcome = (
            "error" if (result is not None and result.errors) or ctx.pre_execution_errors else "ok"
        )
        viewer = getattr(ctx.context, "viewer", None)
        record_operation(
            name=name,
            operation_type=op_type,
            outcome=outcome,
            elapsed=elapsed,
            user_id=viewer.user_id if viewer else None,
        )


def record_operation(
    *, name: str, operation_type: str, outcome: str, elapsed: float, user_id: int | None
) -> None:
    """Metrics and the access-log line of one GraphQL operation (also used by the buy lane)."""
    metrics.REQUESTS.labels(name, operation_type, outcome).inc()
    metrics.LATENCY.labels(name).observe(elapsed)
    if not access_log.isEnabledFor(logging.INFO):
        return
    access_log.info(
        "graphql",
        extra={
            "operation": name,
            "operation_type": operation_type,
            "outcome": outcome,
            "duration_ms": round(elapsed * 1000, 2),
            "user_id": user_id,
        },
    )
