"""Schema extensions: authentication gate and per-operation metrics and access logs.

Metric labels come from a closed set (`operation_label`): a label a client could choose
would grow `/metrics` (and the multiprocess files behind it) without bound.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_operation_ast,
)
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


class OneOperation(SchemaExtension):
    """A document of several operations needs `operationName` (GraphQL's GetOperation()).
    Strawberry would run the first one; this refuses the request before validation, as
    graphql-core's executor would."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        # Strawberry's `operation_name` falls back to the first operation's name; the name the
        # request gave is kept in `_provided_operation_name` (tests/backend/graphql/
        # test_transport.py fails should that change).
        named = getattr(ctx, "_provided_operation_name", ctx.operation_name)
        if named is None and document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) > 1:
                raise GraphQLError(
                    "Must provide operation name if query contains multiple operations."
                )
        yield


class AuthenticationGate(SchemaExtension):
    """A request with a bearer token we cannot accept fails whole (never silently anonymous),
    except the session operations themselves (sign in, refresh, sign out, register)."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        problem = ctx.context.auth_problem
        if problem and not _only_session_fields(ctx.graphql_document, ctx.operation_name):
            raise unauthenticated(problem)
        yield


# `operation` labels besides root field names.
INVALID = "invalid"  # no document, no such operation, or a root field the schema lacks
MULTIPLE = "multiple"  # several different root fields
META_FIELDS = frozenset({"__typename", "__schema", "__type"})
CLIENT_NAME_MAX = 100  # characters of the client's operation name kept in the access log


def operation_label(
    schema: GraphQLSchema,
    document: DocumentNode | None,
    operation_name: str | None,
    *,
    trusted_name: str | None = None,
) -> str:
    """The `operation` label of an operation's metrics, from a closed set: its root field's
    name as the schema spells it (`__typename` alone: `__typename`), `multiple` for several
    different root fields, `invalid` when there is no such operation or field. The view and
    the buy lane both label with this. `trusted_name`, the name of a document the server itself
    holds (a closed set too), is used as it is."""
    if trusted_name is not None:
        return trusted_name
    if document is None:
        return INVALID
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation is not None else None
    if operation is None or root is None:
        return INVALID
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    names: set[str] = set()
    _root_fields(operation.selection_set, fragments, names, set())
    if any(n not in root.fields and n not in META_FIELDS for n in names):
        return INVALID
    fields = names - {"__typename"}
    if len(fields) > 1:
        return MULTIPLE
    if fields:
        return fields.pop()
    return "__typename" if names else INVALID


def _root_fields(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    names: set[str],
    spread: set[str],
) -> None:
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            names.add(node.name.value)
        elif isinstance(node, InlineFragmentNode):
            _root_fields(node.selection_set, fragments, names, spread)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in spread:
            spread.add(node.name.value)
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                _root_fields(fragment.selection_set, fragments, names, spread)


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        refused = True  # by an exception (a query too long, say) unless the operation ends
        try:
            yield
            refused = False
        finally:
            ctx = self.execution_context
            try:
                op_type = ctx.operation_type.value
            except RuntimeError:  # the document did not parse
                op_type = OperationType.QUERY.value
            result = ctx.result
            failed = (result is not None and result.errors) or ctx.pre_execution_errors
            viewer = getattr(ctx.context, "viewer", None)
            record_operation(
                label=operation_label(ctx.schema._schema, ctx.graphql_document, ctx.operation_name),
                client_name=ctx.operation_name,
                operation_type=op_type,
                outcome="error" if refused or failed else "ok",
                elapsed=time.perf_counter() - started,
                user_id=viewer.user_id if viewer else None,
            )


def record_operation(
    *,
    label: str,
    client_name: str | None,
    operation_type: str,
    outcome: str,
    elapsed: float,
    user_id: int | None,
) -> None:
    """Metrics and the access-log line of one GraphQL operation (also used by the buy lane):
    metrics by `label` (`operation_label`), the log line with the client's name too."""
    metrics.REQUESTS.labels(label, operation_type, outcome).inc()
    metrics.LATENCY.labels(label).observe(elapsed)
    if not access_log.isEnabledFor(logging.INFO):
        return
    access_log.info(
        "graphql",
        extra={
            "operation": label,
            "operation_name": client_name[:CLIENT_NAME_MAX]
            if isinstance(client_name, str)
            else None,
            "operation_type": operation_type,
            "outcome": outcome,
            "duration_ms": round(elapsed * 1000, 2),
            "user_id": user_id,
        },
    )
