"""The live-sale lane: `seckillEventUpdated` answered from the sale watcher's shared snapshots.

Thousands of shoppers keep a sale page open; when its stock changes, generic execution would
run and serialise the same small selection once per subscriber. A subscription whose document
is one `seckillEventUpdated` selecting only `id`, `remainingStock`, `status` and `__typename`
(aliases and fragments allowed; the storefront's own document qualifies) is answered here: its
`next` payload is computed and JSON-encoded once per snapshot and document
(`EventSnapshot.encoded`), and every subscriber with that document gets the same bytes behind
its own operation id. The snapshots come from the process's one watcher per sale
(`seckill/live.py`), exactly as the generic resolver's do, so both answer the same messages
(tests/backend/subscriptions/test_event_lane.py compares them). Anything else — another
document, variables that do not coerce, a malformed id, a sale that does not exist — goes to
Strawberry's generic execution untouched. `GRAPHQL_EVENT_LANE=false` turns the lane off.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import AbstractAsyncContextManager
from typing import Any

from flashmart.core.errors import ApiError
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import decode_id, encode_id
from flashmart.graphql.plans import Plan, PlanCache, Selection, coerce_arguments
from flashmart.seckill.events import get_event
from flashmart.seckill.live import EventSnapshot, LiveFeed, live_sales
from flashmart.seckill.models import SeckillEvent

TYPE = "SeckillEvent"


class EventLane:
    """Compiles `seckillEventUpdated` documents and streams their encoded payloads."""

    def __init__(self, plans: PlanCache) -> None:
        self.plans = plans  # of the WATCH lane
        self.served = 0  # subscriptions answered here (tests read it)
        self.pushed = 0  # messages the sale's watcher wrote straight onto sockets (wsdirect.py)
        self._checks: dict[int, asyncio.Future[SeckillEvent | None]] = {}  # sales being looked up

    async def event_id(
        self, runtime: Runtime, query: str, variables: dict[str, Any] | None, name: str | None
    ) -> tuple[Plan, int] | None:
        """The plan and the sale of a subscription this lane answers, or None."""
        found = plan_and_sale(self.plans, runtime, query, variables, name, argument="id")
        if found is None:
            return None
        plan, event_id = found
        if not await self._exists(runtime, event_id):
            return None  # the generic path answers "No such flash sale"
        return plan, event_id

    async def _exists(self, runtime: Runtime, event_id: int) -> bool:
        """Whether the sale exists, with one database query for a crowd subscribing at once:
        a watcher running for it says so (each starts after this check, and sales are never
        deleted), and concurrent checks share the one in flight."""
        watcher = live_sales(runtime).watchers.get(event_id)
        if watcher is not None and not watcher.stopped:
            return True
        check = self._checks.get(event_id)
        if check is None:
            check = self._checks[event_id] = asyncio.ensure_future(get_event(event_id))
            check.add_done_callback(lambda _: self._checks.pop(event_id, None))
        return await asyncio.shield(check) is not None

    def feed(self, runtime: Runtime, event_id: int) -> AbstractAsyncContextManager[LiveFeed]:
        """One subscription's reading of the sale's watcher (`LiveFeed.next`): the caller
        sends `encoded(snap, plan, query)` for each state, with no generator in between."""
        self.served += 1
        rate = runtime.settings.subscription_event_rate
        return live_sales(runtime).watch(event_id, rate=rate)


def plan_and_sale(
    plans: PlanCache,
    runtime: Runtime,
    query: str,
    variables: dict[str, Any] | None,
    name: str | None,
    *,
    argument: str,
) -> tuple[Plan, int] | None:
    """A live lane's plan for the document and the sale its `argument` names, or None when
    generic execution must answer (another document or operation, variables that do not
    coerce, no pub/sub broker, a malformed id)."""
    plan = plans.get(query)
    if plan is None or name not in (None, plan.operation_name):
        return None
    arguments = coerce_arguments(plan, variables or {})
    if arguments is None or runtime.broker is None:
        return None
    try:
        return plan, decode_id(arguments[argument], TYPE)
    except ApiError:
        return None


def encoded(snap: EventSnapshot, plan: Plan, query: str) -> str:
    """`{"data": ...}` for this snapshot and document, built and encoded once."""
    found = snap.encoded.get(query)
    if found is None:
        event = {s.key: _value(s, snap) for s in plan.payload}
        data = {k: "Subscription" if k in plan.typename_keys else event for k in plan.root_keys}
        found = snap.encoded[query] = json.dumps({"data": data}, separators=(",", ":"))
    return found


def _value(selection: Selection, snap: EventSnapshot) -> Any:
    name = selection.name
    if name == "id":
        return encode_id(TYPE, snap.event.id)
    if name == "remainingStock":
        return snap.remaining
    if name == "status":
        return snap.status.value
    return TYPE  # __typename


def next_head(operation_id: str) -> str:
    """A graphql-transport-ws `next` message up to its payload: the message is
    `head + payload + "}"`."""
    return f'{{"id":{json.dumps(operation_id)},"type":"next","payload":'


def next_message(operation_id: str, payload: str) -> str:
    """The graphql-transport-ws `next` message, as Strawberry encodes it."""
    return f"{next_head(operation_id)}{payload}}}"
