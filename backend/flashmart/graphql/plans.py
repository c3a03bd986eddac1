"""Which documents the lanes answer, compiled once per query text (cached by its digest).

A lane answers one root field outside generic execution: `seckillBuy` (the buy lane,
`fastlane.py`), `seckillEventUpdated` (the live-sale lane, `eventlane.py`) and
`waitingRoomUpdated` (the room lane, `roomlane.py`). A document
qualifies when it validates against the schema with the same rules as every request and is
one operation of the lane's kind whose one root field is the lane's, without directives,
selecting only what the lane can answer without the database (`Lane.answerable`).
`compile_plan` gives its `Plan` (or None), and `coerce_arguments` turns a request's variables
into the field's arguments as graphql-core would, or None where generic execution must answer.

`PlanCache` keeps each lane's verdicts under the limits of generic execution
(graphql/limits.py): a text over MAX_QUERY_LENGTH, or one that does not name the lane's
field, is never compiled nor cached (the generic path answers it); a document that fails to
parse or validate is not cached either; plans, and "not this lane's" for a valid document, are
kept by digest within GRAPHQL_CACHE_SIZE entries and GRAPHQL_CACHE_BYTES (graphql/cache.py). A
plan carries the label its metrics use (`operation_label`) and its static cost, which a
document over MAX_QUERY_COST does not get a plan for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    is_non_null_type,
    parse,
    specified_rules,
    type_from_ast,
    value_from_ast,
)
from graphql.pyutils import Undefined
from graphql.validation import ASTValidationRule
from strawberry.schema.schema import validate_document

from flashmart.graphql.cache import MISSING, document_bytes, query_digest
from flashmart.graphql.cost import operation_cost
from flashmart.graphql.extensions import operation_label
from flashmart.graphql.limits import Limits


@dataclass(frozen=True)
class Lane:
    """Which root field a lane answers and what it may select: anything else needs the
    database (ticket.event, event.product) or is unknown, and takes the generic path."""

    operation: OperationType
    root_type: str
    field: str
    payload_type: str
    answerable: dict[str, frozenset[str]]
    child_types: dict[str, str]


BUY = Lane(
    operation=OperationType.MUTATION,
    root_type="Mutation",
    field="seckillBuy",
    payload_type="SeckillBuyPayload",
    answerable={
        "SeckillBuyPayload": frozenset({"__typename", "ticket", "userErrors"}),
        "SeckillTicket": frozenset(
            {"__typename", "id", "status", "failureReason", "quantity", "order"}
        ),
        "UserError": frozenset({"__typename", "field", "message", "code"}),
    },
    child_types={"ticket": "SeckillTicket", "userErrors": "UserError"},
)
# seckillEventUpdated selecting only what a live snapshot holds (graphql/eventlane.py).
WATCH = Lane(
    operation=OperationType.SUBSCRIPTION,
    root_type="Subscription",
    field="seckillEventUpdated",
    payload_type="SeckillEvent",
    answerable={"SeckillEvent": frozenset({"__typename", "id", "remainingStock", "status"})},
    child_types={},
)
# waitingRoomUpdated selecting only what an entry's view holds (graphql/roomlane.py).
ROOM = Lane(
    operation=OperationType.SUBSCRIPTION,
    root_type="Subscription",
    field="waitingRoomUpdated",
    payload_type="WaitingRoomEntry",
    answerable={
        "WaitingRoomEntry": frozenset(
            {
                "__typename",
                "arrival",
                "position",
                "ahead",
                "estimatedWaitSeconds",
                "state",
                "grantExpiresAt",
            }
        )
    },
    child_types={},
)


@dataclass(frozen=True)
class Selection:
    key: str  # the response key (alias or name)
    name: str
    children: tuple[Selection, ...]  # empty for leaves; `order` keeps none (always null here)


@dataclass(frozen=True)
class Variable:
    name: str
    scalar: str  # one of SCALARS
    non_null: bool
    default: Any  # ABSENT when the operation gives none


@dataclass(frozen=True)
class Argument:
    name: str
    variable: str | None  # the variable it reads, or None for a literal
    value: Any  # the literal, or the argument's default when its variable has no value
    non_null: bool


@dataclass(frozen=True)
class Plan:
    """A compiled document of one lane's field."""

    operation: OperationDefinitionNode
    field: FieldNode
    operation_name: str | None
    payload: tuple[Selection, ...]
    variables: tuple[Variable, ...]
    arguments: tuple[Argument, ...]
    root_keys: tuple[str, ...]  # response keys of `data` in order: the field and __typename
    typename_keys: tuple[str, ...]
    label: str  # the `operation` label of its metrics (`operation_label`)
    cost: int  # its static cost (graphql/cost.py), as generic execution reports it

    @property
    def field_key(self) -> str:
        return (self.field.alias or self.field.name).value


class _NotAnswerable(Exception):
    pass


# Variables of these types are coerced here (what seckillBuy's arguments can use); a document
# declaring any other kind takes the generic path.
SCALARS = frozenset({"ID", "Int", "String", "Boolean"})
ABSENT: Any = object()
_INVALID: Any = object()
INVALID_DOCUMENT: Any = object()  # `_compile`: the document does not parse or validate
VERDICT_BYTES = 256  # the estimated size of a cached "not this lane's" verdict
INT_RANGE = range(-(2**31), 2**31)


def _variables(schema: GraphQLSchema, operation: OperationDefinitionNode) -> tuple[Variable, ...]:
    found = []
    for definition in operation.variable_definitions or ():
        if definition.directives:
            raise _NotAnswerable("directives")
        type_node = definition.type
        non_null = isinstance(type_node, NonNullTypeNode)
        named = type_node.type if isinstance(type_node, NonNullTypeNode) else type_node
        if not isinstance(named, NamedTypeNode) or named.name.value not in SCALARS:
            raise _NotAnswerable("variable of another type")
        default = ABSENT
        if definition.default_value is not None:
            input_type = cast(GraphQLInputType, type_from_ast(schema, type_node))
            default = value_from_ast(definition.default_value, input_type)
        found.append(Variable(definition.variable.name.value, named.name.value, non_null, default))
    return tuple(found)


def _arguments(field_def: GraphQLField, node: FieldNode) -> tuple[Argument, ...]:
    given = {a.name.value: a.value for a in node.arguments or ()}
    found = []
    for name, definition in field_def.args.items():
        default = None if definition.default_value is Undefined else definition.default_value
        non_null = is_non_null_type(definition.type)
        value = given.get(name)
        if value is None:
            found.append(Argument(name, None, default, non_null))
        elif isinstance(value, VariableNode):
            found.append(Argument(name, value.name.value, default, non_null))
        else:
            found.append(Argument(name, None, value_from_ast(value, definition.type), non_null))
    return tuple(found)


def _scalar(kind: str, value: Any) -> Any:
    """A variable's value coerced as graphql-core does for the plain cases; `_INVALID` for
    anything else (the generic path then answers with graphql-core's own error)."""
    if value is None:
        return None
    if kind == "ID":
        if isinstance(value, str):
            return value
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else _INVALID
    if kind == "Int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value in INT_RANGE
        return value if ok else _INVALID
    if kind == "String":
        return value if isinstance(value, str) else _INVALID
    return value if isinstance(value, bool) else _INVALID


def coerce_arguments(plan: Plan, variables: dict[str, Any]) -> dict[str, Any] | None:
    """seckillBuy's argument values for this request, or None when the generic path decides."""
    values: dict[str, Any] = {}
    for variable in plan.variables:
        if variable.name in variables:
            value = _scalar(variable.scalar, variables[variable.name])
            if value is _INVALID or (value is None and variable.non_null):
                return None
        elif variable.default is not ABSENT:
            value = variable.default
        elif variable.non_null:
            return None
        else:
            continue
        values[variable.name] = value
    arguments = {a.name: values.get(a.variable or "", a.value) for a in plan.arguments}
    if any(a.non_null and arguments[a.name] is None for a in plan.arguments):
        return None  # null for a non-null argument: graphql-core's error
    return arguments


def _collect(
    selection_set: SelectionSetNode,
    type_name: str,
    fragments: dict[str, FragmentDefinitionNode],
) -> dict[str, list[FieldNode]]:
    """Fields by response key in document order, as graphql-core's field collection merges
    them; every fragment here is on an object type, so its condition is the type itself."""
    fields: dict[str, list[FieldNode]] = {}
    for node in selection_set.selections:
        if node.directives:
            raise _NotAnswerable("directives")
        if isinstance(node, FieldNode):
            fields.setdefault((node.alias or node.name).value, []).append(node)
            continue
        if isinstance(node, FragmentSpreadNode):
            fragment: InlineFragmentNode | FragmentDefinitionNode = fragments[node.name.value]
        else:
            assert isinstance(node, InlineFragmentNode)
            fragment = node
        if fragment.directives:
            raise _NotAnswerable("directives")
        condition = fragment.type_condition
        if condition is not None and condition.name.value != type_name:
            raise _NotAnswerable("fragment on another type")
        for key, nodes in _collect(fragment.selection_set, type_name, fragments).items():
            fields.setdefault(key, []).extend(nodes)
    return fields


def _selections(
    lane: Lane,
    nodes: list[FieldNode],
    type_name: str,
    fragments: dict[str, FragmentDefinitionNode],
) -> tuple[Selection, ...]:
    merged: dict[str, list[FieldNode]] = {}
    for node in nodes:
        if node.selection_set is None:
            continue
        for key, found in _collect(node.selection_set, type_name, fragments).items():
            merged.setdefault(key, []).extend(found)
    result: list[Selection] = []
    for key, found in merged.items():
        name = found[0].name.value
        if name not in lane.answerable[type_name]:
            raise _NotAnswerable(f"{type_name}.{name}")
        child_type = lane.child_types.get(name)
        children = _selections(lane, found, child_type, fragments) if child_type else ()
        result.append(Selection(key=key, name=name, children=children))
    return tuple(result)


def _root_field(schema: GraphQLSchema, lane: Lane) -> GraphQLField:
    root = schema.get_type(lane.root_type)
    assert isinstance(root, GraphQLObjectType)
    field: GraphQLField = root.fields[lane.field]
    return field


def compile_plan(
    schema: GraphQLSchema,
    query: str,
    *,
    rules: list[type[ASTValidationRule]],
    max_tokens: int,
    max_cost: int | None = None,
    lane: Lane = BUY,
) -> Plan | None:
    """The plan for `query` in `lane`, or None when the generic path must answer it."""
    if lane.field not in query:
        return None
    found = _compile(schema, query, rules=rules, max_tokens=max_tokens, lane=lane)
    if found is INVALID_DOCUMENT:
        return None
    plan, _ = found
    return plan if plan is None or max_cost is None or plan.cost <= max_cost else None


def _compile(
    schema: GraphQLSchema,
    query: str,
    *,
    rules: list[type[ASTValidationRule]],
    max_tokens: int,
    lane: Lane,
) -> tuple[Plan | None, DocumentNode] | Any:
    """(the plan or None, the document), or INVALID_DOCUMENT."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return INVALID_DOCUMENT
    if validate_document(schema, document, (*specified_rules, *rules)):
        return INVALID_DOCUMENT
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not lane.operation:
        return None, document
    operation = operations[0]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    try:
        if operation.directives:
            raise _NotAnswerable("directives")
        variables = _variables(schema, operation)
        root = _collect(operation.selection_set, lane.root_type, fragments)
        hits = [nodes for nodes in root.values() if nodes[0].name.value == lane.field]
        others = {nodes[0].name.value for nodes in root.values()} - {lane.field}
        if len(hits) != 1 or len(hits[0]) != 1 or others - {"__typename"}:
            raise _NotAnswerable(f"not one {lane.field}")
        nodes = hits[0]
        payload = _selections(lane, nodes, lane.payload_type, fragments)
        typename_keys = tuple(k for k, found in root.items() if found[0].name.value != lane.field)
        cost = operation_cost(schema, operation, fragments, None)
        if not cost.static:
            raise _NotAnswerable("a cost that depends on variables")
    except _NotAnswerable:
        return None, document
    name = operation.name.value if operation.name else None
    plan = Plan(
        operation=operation,
        field=nodes[0],
        operation_name=name,
        payload=payload,
        variables=variables,
        arguments=_arguments(_root_field(schema, lane), nodes[0]),
        root_keys=tuple(root),
        typename_keys=typename_keys,
        label=operation_label(schema, document, name),
        cost=cost.requested,
    )
    return plan, document


class PlanCache:
    """Compiled plans of one lane by query digest (or None: the generic path answers it), the
    least recently used dropped first beyond the cache's entries and bytes; and, compiled once,
    those of trusted documents by id (`persisted`)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        lane: Lane,
        *,
        rules: list[type[ASTValidationRule]],
        limits: Limits,
    ) -> None:
        self.schema, self.lane, self.rules, self.limits = schema, lane, rules, limits
        self.plans = limits.cache()  # Plan | None by query digest

    def compile(self, query: str) -> Plan | None:
        """The plan of a trusted document (None: not this lane's, invalid, or over the cost)."""
        compiled = _compile(
            self.schema, query, rules=self.rules, max_tokens=self.limits.max_tokens, lane=self.lane
        )
        if compiled is INVALID_DOCUMENT:
            return None
        plan, _ = compiled
        return None if plan is None or plan.cost > self.limits.max_cost else plan

    def persisted(self, texts: Mapping[str, str]) -> dict[str, Plan]:
        """The plans of those documents (id -> text) this lane answers, by id, compiled now."""
        plans = {key: self.compile(text) for key, text in texts.items()}
        return {key: plan for key, plan in plans.items() if plan is not None}

    def get(self, query: str) -> Plan | None:
        if self.lane.field not in query or len(query) > self.limits.max_length:
            return None  # neither compiled nor kept: the generic path answers (or refuses) it
        key = query_digest(query)
        found = self.plans.get(key)
        if found is not MISSING:
            return found  # type: ignore[return-value]
        compiled = _compile(
            self.schema, query, rules=self.rules, max_tokens=self.limits.max_tokens, lane=self.lane
        )
        if compiled is INVALID_DOCUMENT:
            return None  # never cached: the generic path reports why
        plan, document = compiled
        if plan is not None and plan.cost > self.limits.max_cost:
            plan = None  # generic execution refuses it with QUERY_TOO_COMPLEX
        size = document_bytes(query, document) if plan is not None else VERDICT_BYTES
        self.plans.put(key, plan, size)
        return plan
