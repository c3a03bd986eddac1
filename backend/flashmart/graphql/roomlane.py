"""The room lane: `waitingRoomUpdated` encoded straight from each entry's view.

At a waiting-room sale's draw every entrant's position changes at once, and generic execution
would run the subscription's selection through graphql-core once per entrant. A subscription
whose document is one `waitingRoomUpdated` selecting only the entry's own fields (`arrival`,
`position`, `ahead`, `estimatedWaitSeconds`, `state`, `grantExpiresAt`, `__typename`; aliases
and fragments allowed, the storefront's document qualifies) from a signed-in connection is
answered here: the views come from `live.room_updates` exactly as the generic resolver's do
(the sale's one watcher per process), and each is encoded with one `json.dumps`
(tests/backend/subscriptions/test_room_lane.py compares the frames with generic execution's).
Anything else — another document, variables that do not coerce, a malformed id, an anonymous
connection, a sale without a room, a shopper who has not joined — goes to Strawberry's generic
execution, which answers it or its error. `GRAPHQL_EVENT_LANE=false` turns this lane off too.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

from flashmart.core.runtime import Runtime
from flashmart.graphql.eventlane import plan_and_sale
from flashmart.graphql.plans import Plan, PlanCache, Selection
from flashmart.seckill import live
from flashmart.seckill.events import get_event
from flashmart.seckill.models import AdmissionMode
from flashmart.seckill.room import EntryView

TYPE = "WaitingRoomEntry"


class RoomLane:
    """Compiles `waitingRoomUpdated` documents and streams their encoded payloads."""

    def __init__(self, plans: PlanCache) -> None:
        self.plans = plans  # of the ROOM lane
        self.served = 0  # subscriptions answered here (tests read it)

    async def event_id(
        self, runtime: Runtime, query: str, variables: dict[str, Any] | None, name: str | None
    ) -> tuple[Plan, int] | None:
        """The plan and the sale of a subscription this lane answers, or None."""
        found = plan_and_sale(self.plans, runtime, query, variables, name, argument="eventId")
        if found is None:
            return None
        plan, event_id = found
        event = live.known_event(runtime, event_id) or await get_event(event_id)
        if event is None or event.admission_mode is not AdmissionMode.WAITING_ROOM:
            return None  # the generic path answers "No such waiting room"
        return plan, event_id

    def views(
        self, runtime: Runtime, event_id: int, user_id: int
    ) -> AsyncGenerator[EntryView, None]:
        """The shopper's entry views (`live.room_updates`); none when not joined."""
        self.served += 1
        rate = runtime.settings.subscription_event_rate
        return live.room_updates(runtime, event_id, user_id, rate=rate)


def encoded(view: EntryView, plan: Plan) -> str:
    """`{"data": ...}` for this view and document, as generic execution serialises it."""
    entry = {s.key: _value(s, view) for s in plan.payload}
    data = {k: "Subscription" if k in plan.typename_keys else entry for k in plan.root_keys}
    return json.dumps({"data": data}, separators=(",", ":"))


def _value(selection: Selection, view: EntryView) -> Any:
    name = selection.name
    if name == "arrival":
        return view.arrival
    if name == "position":
        return view.position
    if name == "ahead":
        return view.ahead
    if name == "estimatedWaitSeconds":
        return view.estimated_wait_seconds
    if name == "state":
        return view.state.value
    if name == "grantExpiresAt":
        expires = view.grant_expires_at
        return expires.isoformat() if expires is not None else None
    return TYPE  # __typename
