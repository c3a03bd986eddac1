"""The buy lane: `seckillBuy` answered without generic GraphQL execution.

Thousands of shoppers send the same small mutation in the same second; generic execution
(Strawberry's view, graphql-core's executor, one context and one extension object per request)
costs several times the Redis work behind it (docs/bench.md). So every JSON `POST /graphql`
meets `BuyLane.answer` first, ahead of the app's middleware stack (`flashmart.app.FlashMartApp`
adds what the middleware would: request id, CORS headers, body limit, request metric). A
document is *compiled* once per query text (`plans.py`; a cache by the text's digest, bounded in
entries and bytes, never given a text over MAX_QUERY_LENGTH): it is parsed and validated
against the schema with the same rules and limits as every request, and it qualifies only when it is
one mutation whose one root field is `seckillBuy`, without directives, selecting
nothing that needs the database (`ticket { id status failureReason quantity order }`,
`userErrors { field message code }`, `__typename`, through fragments or not). A qualifying
request is answered here: the same token verification, the same service call
(`seckill.buy.buy`), the same `userErrors` (`errors.attempt`, in the language of
`Accept-Language`) and error shaping
(`error_mapping.format_error`), the same metrics (labelled by `operation_label`) and
access log, the same `extensions.cost` (the plan's static cost); the response is exactly what
generic execution answers, in the media type `Accept` asks for and with the status and headers
the view would send (`transport.reply`; tests/backend/graphql/test_fastlane.py compares both
byte for byte).

Trusted documents (graphql/trusted_documents.py): a request naming its document by `documentId`
alone is served from the plans of the manifest's documents, compiled once when the lane is made,
so its hot path reads no query text: one dictionary lookup by id. A query text that is a manifest
document's is served from the same plans. With TRUSTED_DOCUMENTS_ONLY on, any other text goes to
the view, which refuses it (or serves an administrator) before anything is reserved.

Everything else, and every request that is irregular before the service is called (an
`Accept` we cannot serve, a body that is not a well-formed GraphQL-over-HTTP request, no token,
a refused token, variables that do not coerce, a malformed id), is handed untouched to the
Strawberry view, which answers it as always. Nothing is reserved before that decision. An
outage is answered here as the view would (`SERVICE_UNAVAILABLE` with `retryAfter` and a
`Retry-After` header): while Redis's breaker is open at once, before the token check.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from graphql import (
    OperationType,
    located_error,
)
from starlette.types import Message, Receive, Scope, Send
from strawberry import relay

from flashmart.accounts.revocation import verify_access_token
from flashmart.accounts.tokens import InvalidToken, bearer_token
from flashmart.core.breaker import Breaker
from flashmart.core.errors import ApiError
from flashmart.core.i18n import language_var, parse_accept_language
from flashmart.core.runtime import Runtime
from flashmart.graphql.error_mapping import (
    format_error,
    log_unexpected,
    outage_retry_after,
    unavailable_error,
)
from flashmart.graphql.errors import Refused, attempt
from flashmart.graphql.extensions import record_operation
from flashmart.graphql.ids import decode_id
from flashmart.graphql.limits import cost_report
from flashmart.graphql.plans import Plan, PlanCache, Selection, coerce_arguments
from flashmart.graphql.transport import (
    Params,
    Reply,
    RequestError,
    decode_json,
    negotiate,
    reply,
    request_params,
    shaped,
)
from flashmart.graphql.trusted_documents import Gate
from flashmart.seckill.buy import TicketView, buy

logger = logging.getLogger("flashmart.graphql")


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


def _payload(plan: Plan, bought: TicketView | Refused) -> dict[str, Any]:
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


def _data(plan: Plan, payload: dict[str, Any]) -> dict[str, Any]:
    return {k: "Mutation" if k in plan.typename_keys else payload for k in plan.root_keys}


class BuyLane:
    """Compiles and answers `seckillBuy` documents (see the module docstring); the app calls
    `answer` for every JSON `POST /graphql` before its middleware stack."""

    def __init__(self, plans: PlanCache, gate: Gate) -> None:
        self.plans = plans  # of the BUY lane
        self.gate = gate
        self.persisted = plans.persisted(gate.manifest.texts)  # documentId -> plan
        self.answered = 0  # requests answered here (tests and the benchmark read it)
        self.max_cost = plans.limits.max_cost

    def plan(self, query: str) -> Plan | None:
        return self.plans.get(query)

    def _request_plan(self, params: Params) -> Plan | None:
        """The plan of the request's document, or None: the view answers it (and resolves
        what the lane leaves alone: an unknown id, a `query` beside a `documentId`, refusals)."""
        query, document_id = params.query, params.document_id
        if document_id is not None:
            if query not in (None, "") or not isinstance(document_id, str):
                return None
            return self.persisted.get(document_id)
        if not isinstance(query, str):
            return None
        known = self.gate.manifest.ids.get(query)
        if known is not None:
            return self.persisted.get(known)
        if self.gate.trusted_only:
            return None  # refused by the view unless an administrator sent it
        return self.plan(query)

    async def answer(self, scope: Scope, body: bytes, send: Send) -> bool:
        """True when the request was answered here; False hands it to the view unchanged."""
        started = time.perf_counter()
        media = negotiate(_header(scope, b"accept"))
        if media is None:
            return False  # the view answers 406
        try:
            params = request_params(decode_json(body))
        except RequestError:
            return False  # the view answers 400
        plan = self._request_plan(params)
        client_name = params.operation_name
        if plan is None or client_name not in (None, plan.operation_name):
            return False
        arguments = coerce_arguments(plan, params.variables or {})
        if arguments is None:
            return False
        event_gid, quantity = arguments["eventId"], arguments["quantity"]
        token = bearer_token(_header(scope, b"authorization"))
        if token is None:
            return False
        runtime: Runtime = scope["app"].state.runtime
        try:
            event_id = decode_id(event_gid, "SeckillEvent")
        except ApiError:
            return False
        try:
            breaker: Breaker = runtime.redis.breaker  # type: ignore[attr-defined]
            if not breaker.closed:  # Redis is out: no token check (a database query) first
                breaker.refuse_if_open()
            viewer = await verify_access_token(runtime, token)
        except InvalidToken:
            return False
        except Exception as exc:  # an outage answers here, anything else goes on as ever
            retry_after = outage_retry_after(exc)
            if retry_after is None:
                raise
            outage = {"data": None, "errors": [unavailable_error(retry_after)]}
            await _send(send, reply(shaped(outage, media, request_error=True), media))
            self.answered += 1
            record_operation(
                label=plan.label,
                client_name=client_name,
                operation_type=OperationType.MUTATION.value,
                outcome="error",
                elapsed=time.perf_counter() - started,
                user_id=None,
            )
            return True
        client = scope.get("client")
        result: dict[str, Any]
        outcome = "ok"
        language = language_var.set(parse_accept_language(_header(scope, b"accept-language")))
        try:
            bought = await attempt(
                buy(
                    runtime,
                    user_id=viewer.user_id,
                    event_id=event_id,
                    quantity=quantity,
                    client_ip=client[0] if client else "unknown",
                    email_verified=viewer.email_verified,
                )
            )
            result = {"data": _data(plan, _payload(plan, bought))}
        except Exception as exc:  # noqa: BLE001 - shaped exactly as generic execution does
            error = located_error(exc, [plan.field], [plan.field_key])
            log_unexpected([error])
            result = {"data": None, "errors": [format_error(error)]}
            outcome = "error"
        finally:
            language_var.reset(language)
        result["extensions"] = cost_report(plan.cost, self.max_cost)  # as InputLimits reports
        await _send(send, reply(result, media))
        self.answered += 1
        record_operation(
            label=plan.label,
            client_name=client_name,
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


async def _send(send: Send, answer: Reply) -> None:
    # The same status, headers and bytes as the view's (graphql/transport.py `reply`).
    await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})
