"""The static cost of an operation: how much it may make the server fetch, known before it runs.

Counted as Shopify and GitHub do, from the document, the schema and the variables:
- a leaf (scalar or enum) costs 0, an object 1, a root mutation field 10;
- a connection field (one with `first`/`last`) is sized by `first` or `last`, or by the default
  page size when neither is given, never more than the maximum page size (pagination.py):
  its list fields (`edges`) count that many times what they select;
- any other list of objects counts `LIST_SIZE` times what it selects;
- nested sizes multiply (`products(first: 10) { edges { node { images { id } } } }` is
  1 + 10 * (1 + 1 + 10 * 1) = 121);
- fragments count where they are spread; on an abstract type every fragment counts (an upper
  bound); introspection (`__schema`, `__type`) is not charged: it reads the schema in memory,
  and the depth, alias and token limits bound it.

`operation_cost` gives the number and whether it is `static` (no variable decided a size, so
it holds for every request of the document). graphql/limits.py refuses an operation above
MAX_QUERY_COST with QUERY_TOO_COMPLEX before it runs and reports every cost in the response's
`extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)

from flashmart.core.errors import ApiError, TopLevelCode
from flashmart.graphql.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

OBJECT_COST = 1
MUTATION_COST = 10
LIST_SIZE = 10  # a list of objects without `first`/`last` (userErrors, images, order lines)
PAGE_ARGUMENTS = ("first", "last")
INTROSPECTION = frozenset({"__schema", "__type"})
CEILING = 1_000_000_000  # costs saturate here (nested sizes multiply without end)


@dataclass(frozen=True, slots=True)
class Cost:
    requested: int
    static: bool  # no variable decided a size: the cost of every request of this operation


def too_complex(requested: int, limit: int) -> ApiError:
    return ApiError(
        f"Query cost {requested} exceeds the maximum of {limit}",
        TopLevelCode.QUERY_TOO_COMPLEX,
        {"cost": {"requested": requested, "limit": limit}},
    )


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None,
) -> Cost:
    """The cost of `operation`, a validated operation of a document with these `fragments`."""
    counter = _Counter(schema, fragments, variables or {}, operation)
    root = schema.get_root_type(operation.operation)
    if root is None:
        return Cost(0, True)
    try:
        requested = counter.selections(operation.selection_set, root, None, root_field=True)
    except RecursionError:  # fragments nested past Python's stack: as costly as it gets
        requested = CEILING
    return Cost(min(requested, CEILING), counter.static)


class _Counter:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        operation: OperationDefinitionNode,
    ) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self.defaults = {
            d.variable.name.value: d.default_value for d in operation.variable_definitions or ()
        }
        self.mutation = operation.operation is OperationType.MUTATION
        self.static = True
        # The cost of a selection set by (node, type, page size): a fragment spread many times
        # (or fragments spreading each other twice) is counted once, not exponentially often.
        self.memo: dict[tuple[int, str, int | None], int] = {}

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLCompositeType,
        page: int | None,
        *,
        root_field: bool = False,
    ) -> int:
        if selection_set is None:
            return 0
        key = (id(selection_set), parent.name, page)
        found = self.memo.get(key)
        if found is not None:
            return found
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent, page, root_field=root_field)
                continue
            condition: NamedTypeNode | None
            if isinstance(node, FragmentSpreadNode):
                fragment = self.fragments.get(node.name.value)
                if fragment is None:
                    continue
                condition, nested = fragment.type_condition, fragment.selection_set
            else:
                assert isinstance(node, InlineFragmentNode)
                condition, nested = node.type_condition, node.selection_set
            target = self.schema.get_type(condition.name.value) if condition else parent
            if is_composite_type(target):
                total += self.selections(nested, target, page, root_field=root_field)
            total = min(total, CEILING)
        self.memo[key] = total
        return total

    def field(
        self, node: FieldNode, parent: GraphQLCompositeType, page: int | None, *, root_field: bool
    ) -> int:
        name = node.name.value
        if name in INTROSPECTION or not isinstance(
            parent, (GraphQLObjectType, GraphQLInterfaceType)
        ):
            return 0  # `__typename` on a union lands here too: a leaf
        definition = parent.fields.get(name)
        if definition is None:
            return 0  # `__typename`
        named = get_named_type(definition.type)
        if not is_composite_type(named):
            return 0
        times = 1
        if is_list_type(get_nullable_type(definition.type)):
            times = page if page is not None else LIST_SIZE
        sized = self.page_size(node) if any(a in definition.args for a in PAGE_ARGUMENTS) else None
        own = MUTATION_COST if root_field and self.mutation else OBJECT_COST
        inner = self.selections(node.selection_set, named, sized)
        return min(times * (own + inner), CEILING)

    def page_size(self, node: FieldNode) -> int:
        """`first` or `last` of a connection field, as execution will read it."""
        for argument in node.arguments or ():
            if argument.name.value not in PAGE_ARGUMENTS:
                continue
            value: Any = argument.value
            if isinstance(value, VariableNode):
                self.static = False
                name = value.name.value
                value = self.variables[name] if name in self.variables else self.defaults.get(name)
            if isinstance(value, IntValueNode):
                value = int(value.value)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(0, min(value, MAX_PAGE_SIZE))
        return DEFAULT_PAGE_SIZE
