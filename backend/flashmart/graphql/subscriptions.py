"""GraphQL subscriptions over graphql-transport-ws: each sends the current state first.

Changes arrive through the process's pub/sub broker (`flashmart.core.pubsub`), fed by every
API process and the worker; authentication happens at `connection_init`
(`flashmart.graphql.websocket`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from flashmart.core.errors import bad_input, forbidden
from flashmart.core.i18n import text
from flashmart.core.pubsub import Broker, watch
from flashmart.graphql.context import Info
from flashmart.graphql.ids import decode_id, decode_ticket_id
from flashmart.graphql.loaders import Loaders
from flashmart.graphql.orders.types import Order
from flashmart.graphql.permissions import IsAuthenticated
from flashmart.graphql.seckill.loaders import forget_warm_states, warm_states
from flashmart.graphql.seckill.types import SeckillEvent, SeckillTicket, WaitingRoomEntry
from flashmart.orders import services as orders
from flashmart.orders.events import ORDER_TOPIC
from flashmart.orders.models import Order as OrderModel
from flashmart.seckill import live
from flashmart.seckill.buy import ticket_updates
from flashmart.seckill.events import get_event
from flashmart.seckill.models import AdmissionMode, TicketStatus

FINAL_TICKET_STATUSES = (TicketStatus.SUCCEEDED, TicketStatus.FAILED)


def _broker(info: Info) -> Broker:
    broker = info.context.runtime.broker
    if broker is None:
        raise RuntimeError("subscriptions need the API's pub/sub broker")
    return broker


def _fresh(info: Info) -> None:
    """A socket's context lives as long as the socket: drop what its loaders cached."""
    info.context.loaders = Loaders()
    forget_warm_states(info.context)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        permission_classes=[IsAuthenticated],
        description="Your order (any order for administrators): now, then on every change.",
    )
    async def order_updated(self, info: Info, id: strawberry.ID) -> AsyncGenerator[Order, None]:
        viewer = info.context.require_viewer()
        order_id = decode_id(id, "Order")
        runtime = info.context.runtime

        async def load() -> OrderModel | None:
            return await orders.order_for(
                order_id=order_id, user_id=viewer.user_id, is_admin=viewer.is_admin
            )

        channel = runtime.keys.channel(ORDER_TOPIC, str(order_id))
        async for found in watch(_broker(info), channel, load):
            if found is None:
                raise forbidden("No such order, or not yours")
            _fresh(info)
            yield Order.from_model(found)

    @strawberry.subscription(
        permission_classes=[IsAuthenticated],
        description=(
            "Your flash-sale ticket: now, then until it SUCCEEDED or FAILED; while QUEUED, "
            "also when its `queuePosition` moves (checked SUBSCRIPTION_EVENT_RATE times a second)."
        ),
    )
    async def seckill_ticket_updated(
        self, info: Info, id: strawberry.ID
    ) -> AsyncGenerator[SeckillTicket, None]:
        viewer = info.context.require_viewer()
        ticket_id = decode_ticket_id(id)
        runtime = info.context.runtime
        _broker(info)
        rate = runtime.settings.subscription_event_rate
        updates = ticket_updates(runtime, ticket_id=ticket_id, user_id=viewer.user_id, rate=rate)
        async for view in updates:
            if view is None:
                raise forbidden("No such ticket, or not yours")
            _fresh(info)
            yield SeckillTicket.from_view(view)
            if view.status in FINAL_TICKET_STATUSES:
                return

    @strawberry.subscription(
        description="A flash sale's remaining stock and status: now, then at most "
        "SUBSCRIPTION_EVENT_RATE updates a second (always the last one); ends once ENDED."
    )
    async def seckill_event_updated(
        self, info: Info, id: strawberry.ID
    ) -> AsyncGenerator[SeckillEvent, None]:
        event_id = decode_id(id, "SeckillEvent")
        runtime = info.context.runtime
        if live.known_event(runtime, event_id) is None and await get_event(event_id) is None:
            raise bad_input(text("No such flash sale"))
        _broker(info)
        rate = runtime.settings.subscription_event_rate
        async for snap in live.event_updates(runtime, event_id, rate=rate):
            _fresh(info)
            # the stock this update was sent for
            warm_states(info.context).prime(event_id, snap.warm)
            yield SeckillEvent.from_model(snap.event)

    @strawberry.subscription(
        permission_classes=[IsAuthenticated],
        description=(
            "Your entry in a sale's waiting room (join first: `waitingRoomJoin`): now, then on "
            "every change (position, wait, state) at most SUBSCRIPTION_EVENT_RATE times a "
            "second; SOLD_OUT as soon as the stock is gone. Ends when the sale ends, your "
            "grant is used or you MISSED your turn."
        ),
    )
    async def waiting_room_updated(
        self, info: Info, event_id: strawberry.ID
    ) -> AsyncGenerator[WaitingRoomEntry, None]:
        viewer = info.context.require_viewer()
        sale_id = decode_id(event_id, "SeckillEvent")
        runtime = info.context.runtime
        event = live.known_event(runtime, sale_id) or await get_event(sale_id)
        if event is None or event.admission_mode is not AdmissionMode.WAITING_ROOM:
            raise bad_input(text("No such waiting room"))
        _broker(info)
        rate = runtime.settings.subscription_event_rate
        joined = False
        async for view in live.room_updates(runtime, sale_id, viewer.user_id, rate=rate):
            joined = True
            yield WaitingRoomEntry.from_view(view)
        if not joined:
            raise bad_input(text("Join the waiting room first (waitingRoomJoin)"))
