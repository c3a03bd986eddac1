"""Introspection off (`GRAPHQL_INTROSPECTION=false`, the production default): a validation rule.

A document that selects `__schema` or `__type` anywhere is refused before execution with one
top-level error per such field, `extensions.code = "INTROSPECTION_DISABLED"`. `__typename` stays
allowed (clients' caches select it everywhere). Being a validation rule, it holds on every path
that validates a document: the view, the WebSocket handler and the buy and event lanes, which
validate with the schema's `extra_rules` (graphql/plans.py).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, get_named_type, is_introspection_type
from graphql.language import SKIP, FieldNode
from graphql.validation import ValidationRule

from flashmart.core.errors import TopLevelCode

MESSAGE = "Introspection is disabled on this server"


class NoIntrospection(ValidationRule):
    def enter_field(self, node: FieldNode, *_args: Any) -> Any:
        named = get_named_type(self.context.get_type())
        if named is None or not is_introspection_type(named):
            return None
        self.report_error(
            GraphQLError(
                f"{MESSAGE} (the document selects `{node.name.value}`).",
                node,
                extensions={"code": TopLevelCode.INTROSPECTION_DISABLED.value},
            )
        )
        return SKIP  # one error for the field, none for what it selects
