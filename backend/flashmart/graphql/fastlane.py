"""The buy lane: `seckillBuy` answered without generic GraphQL execution.

Thousands of shoppers send the same small mutation in the same second; generic execution
(Strawberry's view, graphql-core's executor, one context and one extension object per request)
costs several times the Redis work behind it (docs/bench.md). So every JSON `POST /graphql`
meets `BuyLane.answer` first, ahead of the app's middleware stack (`flashmart.app.FlashMartApp`
adds what the middleware would: request id, CORS headers, body limit, request metric). A
document is *compiled* once per query text (bounded cache): it is parsed and validated
against the schema with the same rules as every request, and it qualifies only when it is
one mutation whose one root field is `seckillBuy`, without directives, selecting
nothing that needs the database (`ticket { id status failureReason quantity order }`,
`userErrors { field message code }`, `__typename`, through fragments or not). A qualifying
request is answered here: the same token verification, the same service call
(`seckill.buy.buy`), the same `userErrors` (`errors.attempt`) and error shaping
(`error_mapping.format_error`), the same metrics and access log; the response is exactly what
generic execution answers (tests/backend/graphql/test_fastlane.py compares both byte for byte).

Everything else, and every request that is irregular before the service is called (no token,
a refused token, variables that do not coerce, a malformed id), is handed untouched to the
Strawberry view, which answers it as always. Nothing is reserved before that decision.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    is_non_null_type,
    located_error,
    parse,
    specified_rules,
    type_from_ast,
    value_from_ast,
)
from graphql.pyutils import Undefined
from graphql.validation import ASTValidationRule
from starlette.types import Message, Receive, Scope, Send
from strawberry import relay
from strawberry.schema.schema import validate_document

from flashmart.accounts.revocation import verify_access_token
from flashmart.accounts.tokens import InvalidToken, bearer_token
from flashmart.core.errors import ApiError
from flashmart.core.runtime import Runtime
from flashmart.graphql.error_mapping import format_error, log_unexpected
from flashmart.graphql.errors import Refused, attempt
from flashmart.graphql.extensions import record_operation
from flashmart.graphql.ids import decode_id
from flashmart.seckill.buy import TicketView, buy

logger = logging.getLogger("flashmart.graphql")

FIELD = "seckillBuy"
# What each object type of the payload may select here: anything else needs the database
# (ticket.event) or is unknown, and the document takes the generic path.
ANSWERABLE = {
    "SeckillBuyPayload": {"__typename", "ticket", "userErrors"},
    "SeckillTicket": {"__typename", "id", "status", "failureReason", "quantity", "order"},
    "UserError": {"__typename", "field", "message", "code"},
}
CHILD_TYPE = {"ticket": "SeckillTicket", "userErrors": "UserError"}


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
class BuyPlan:
    """A compiled `seckillBuy` document."""

    operation: OperationDefinitionNode
    field: FieldNode
    operation_name: str | None
    payload: tuple[Selection, ...]
    variables: tuple[Variable, ...]
    arguments: tuple[Argument, ...]
    root_keys: tuple[str, ...]  # response keys of `data` in order: seckillBuy and __typename
    typename_keys: tuple[str, ...]

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


def coerce_arguments(plan: BuyPlan, variables: dict[str, Any]) -> dict[str, Any] | None:
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
    nodes: list[FieldNode], type_name: str, fragments: dict[str, FragmentDefinitionNode]
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
        if name not in ANSWERABLE[type_name]:
            raise _NotAnswerable(f"{type_name}.{name}")
        child_type = CHILD_TYPE.get(name)
        children = _selections(found, child_type, fragments) if child_type else ()
        result.append(Selection(key=key, name=name, children=children))
    return tuple(result)


def _buy_field(schema: GraphQLSchema) -> GraphQLField:
    mutation = schema.mutation_type
    assert mutation is not None
    field: GraphQLField = mutation.fields[FIELD]
    return field


def compile_buy(
    schema: GraphQLSchema,
    query: str,
    *,
    rules: list[type[ASTValidationRule]],
    max_tokens: int,
) -> BuyPlan | None:
    """The plan for `query`, or None when the generic path must answer it."""
    if FIELD not in query:
        return None
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return None
    if validate_document(schema, document, (*specified_rules, *rules)):
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.MUTATION:
        return None
    operation = operations[0]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    try:
        if operation.directives:
            raise _NotAnswerable("directives")
        variables = _variables(schema, operation)
        root = _collect(operation.selection_set, "Mutation", fragments)
        buys = [nodes for nodes in root.values() if nodes[0].name.value == FIELD]
        others = {nodes[0].name.value for nodes in root.values()} - {FIELD}
        if len(buys) != 1 or len(buys[0]) != 1 or others - {"__typename"}:
            raise _NotAnswerable("not one seckillBuy")
        nodes = buys[0]
        payload = _selections(nodes, "SeckillBuyPayload", fragments)
        typename_keys = tuple(k for k, found in root.items() if found[0].name.value != FIELD)
    except _NotAnswerable:
        return None
    return BuyPlan(
        operation=operation,
        field=nodes[0],
        operation_name=operation.name.value if operation.name else None,
        payload=payload,
        variables=variables,
        arguments=_arguments(_buy_field(schema), nodes[0]),
        root_keys=tuple(root),
        typename_keys=typename_keys,
    )


def _shape(selections: tuple[Selection, ...], values: Callable[[str], Any]) -> dict[str, Any]:
    return {s.key: values(s.name) for s in selections}


def _ticket(selections: tuple[Selection, ...], view: TicketView) -> dict[str, Any]:
    values = {
        "__typename": "SeckillTicket",
        "id": relay.to_base64("SeckillTicket", view.id),
        "status": view.status.value,
        "failureReason": view.failure_reason,
        "quantity": view.quantity,
        "order": None,  # a fresh ticket is QUEUED: its order does not exist yet
    }
    return _shape(selections, values.__getitem__)


def _payload(plan: BuyPlan, bought: TicketView | Refused) -> dict[str, Any]:
    view, errors = (None, bought.errors) if isinstance(bought, Refused) else (bought, [])

    def value(name: str, selection: Selection) -> Any:
        if name == "__typename":
            return "SeckillBuyPayload"
        if name == "ticket":
            return _ticket(selection.children, view) if view is not None else None
        return [
            _shape(
                selection.children,
                {
                    "__typename": "UserError",
                    "field": e.field,
                    "message": e.message,
                    "code": e.code.value,
                }.__getitem__,
            )
            for e in errors
        ]

    return {s.key: value(s.name, s) for s in plan.payload}


def _data(plan: BuyPlan, payload: dict[str, Any]) -> dict[str, Any]:
    return {k: "Mutation" if k in plan.typename_keys else payload for k in plan.root_keys}


class BuyLane:
    """Compiles and answers `seckillBuy` documents (see the module docstring); the app calls
    `answer` for every JSON `POST /graphql` before its middleware stack."""

    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        rules: list[type[ASTValidationRule]],
        max_tokens: int,
        cache_size: int,
    ) -> None:
        self.schema = schema
        self.rules = rules
        self.max_tokens = max_tokens
        self.cache_size = cache_size
        self._plans: dict[str, BuyPlan | None] = {}
        self.answered = 0  # requests answered here (tests and the benchmark read it)

    def plan(self, query: str) -> BuyPlan | None:
        try:
            return self._plans[query]
        except KeyError:
            pass
        found = compile_buy(self.schema, query, rules=self.rules, max_tokens=self.max_tokens)
        if len(self._plans) >= self.cache_size:
            del self._plans[next(iter(self._plans))]  # the oldest entry
        self._plans[query] = found
        return found

    async def answer(self, scope: Scope, body: bytes, send: Send) -> bool:
        """True when the request was answered here; False hands it to the view unchanged."""
        started = time.perf_counter()
        try:
            request = json.loads(body)
        except ValueError:
            return False
        if not isinstance(request, dict) or not isinstance(query := request.get("query"), str):
            return False
        plan = self.plan(query)
        if plan is None or request.get("operationName") not in (None, plan.operation_name):
            return False
        variables = request.get("variables")
        if variables is not None and not isinstance(variables, dict):
            return False
        arguments = coerce_arguments(plan, variables or {})
        if arguments is None:
            return False
        event_gid, quantity = arguments["eventId"], arguments["quantity"]
        token = bearer_token(_header(scope, b"authorization"))
        if token is None:
            return False
        runtime: Runtime = scope["app"].state.runtime
        try:
            event_id = decode_id(event_gid, "SeckillEvent")
            viewer = await verify_access_token(runtime, token)
        except (ApiError, InvalidToken):
            return False
        client = scope.get("client")
        result: dict[str, Any]
        outcome = "ok"
        try:
            bought = await attempt(
                buy(
                    runtime,
                    user_id=viewer.user_id,
                    event_id=event_id,
                    quantity=quantity,
                    client_ip=client[0] if client else "unknown",
                )
            )
            result = {"data": _data(plan, _payload(plan, bought))}
        except Exception as exc:  # noqa: BLE001 - shaped exactly as generic execution does
            error = located_error(exc, [plan.field], [plan.field_key])
            log_unexpected([error])
            result = {"data": None, "errors": [format_error(error)]}
            outcome = "error"
        await _send_json(send, result)
        self.answered += 1
        record_operation(
            name=plan.operation_name or "anonymous",
            operation_type=OperationType.MUTATION.value,
            outcome=outcome,
            elapsed=time.perf_counter() - started,
            user_id=viewer.user_id,
        )
        return True


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; the view sees an empty body
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """`receive` that first hands out `body` (already read) again."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_json(send: Send, result: dict[str, Any]) -> None:
    # Encoded like Strawberry's view (compact JSON, `application/json`).
    body = json.dumps(result, separators=(",", ":")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-length", str(len(body)).encode()),
                (b"content-type", b"application/json"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
