"""Output types of flash sales: events, tickets, the payloads of their mutations, reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from flashmart.graphql.catalog.types import Product
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError
from flashmart.graphql.ids import node_pks
from flashmart.graphql.permissions import IsAdmin
from flashmart.graphql.scalars import Money
from flashmart.graphql.seckill.loaders import my_tickets, sale_products, warm_states
from flashmart.orders.models import Order as OrderModel
from flashmart.seckill import models
from flashmart.seckill.audit import AuditReport, LiveStats
from flashmart.seckill.buy import TicketView, ticket_for
from flashmart.seckill.events import SeckillStatus as SaleStatus
from flashmart.seckill.events import remaining_stock, status_of
from flashmart.seckill.room import EntryView, RoomStore
from flashmart.seckill.room import RoomState as EntryState
from flashmart.seckill.store import SaleStore

if TYPE_CHECKING:
    from flashmart.graphql.orders.types import Order

SeckillStatus = strawberry.enum(SaleStatus, name="SeckillStatus")
TicketStatus = strawberry.enum(models.TicketStatus, name="TicketStatus")
AdmissionMode = strawberry.enum(
    models.AdmissionMode,
    name="AdmissionMode",
    description="FIRST_COME: whoever buys first; WAITING_ROOM: a published random draw of the "
    "room's entrants, then timed admission grants (only holders buy).",
)
WaitingRoomState = strawberry.enum(EntryState, name="WaitingRoomState")


@strawberry.type(description="A waiting room's counters (administrators).")
class WaitingRoomStats:
    joined: int = strawberry.field(description="Entries so far.")
    in_draw: int = strawberry.field(
        description="Entries that joined before the lottery window closed (the draw's)."
    )
    drawn: bool
    admitted: int = strawberry.field(description="Entries admitted so far.")
    grants_outstanding: int = strawberry.field(description="Grants neither used nor expired.")
    missed: int = strawberry.field(description="Grants that expired unused.")


@strawberry.type(description="Your place in a sale's waiting room.")
class WaitingRoomEntry:
    arrival: int = strawberry.field(description="Your arrival number (1 for the first to join).")
    position: int | None = strawberry.field(
        description="Your place in the admission order; null until the draw."
    )
    ahead: int | None = strawberry.field(
        description="Entries before you not admitted yet; null until the draw."
    )
    estimated_wait_seconds: int | None = strawberry.field(
        description="Your wait at the admission rate observed lately; null when unknown."
    )
    state: WaitingRoomState  # type: ignore[valid-type]
    grant_expires_at: datetime | None = strawberry.field(
        description="ADMITTED: buy before this; null once the grant is used."
    )

    @classmethod
    def from_view(cls, view: EntryView) -> WaitingRoomEntry:
        return cls(
            arrival=view.arrival,
            position=view.position,
            ahead=view.ahead,
            estimated_wait_seconds=view.estimated_wait_seconds,
            state=view.state,
            grant_expires_at=view.grant_expires_at,
        )


@strawberry.type
class WaitingRoomJoinPayload:
    entry: WaitingRoomEntry | None
    user_errors: list[UserError]


@strawberry.type(description="A flash sale of one product for a limited time and stock.")
class SeckillEvent(relay.Node):
    id: relay.NodeID[int]
    total_stock: int
    starts_at: datetime
    ends_at: datetime
    per_user_limit: int
    requires_verified_account: bool = strawberry.field(
        description=(
            "Only shoppers with a verified email address may buy; others get EMAIL_NOT_VERIFIED."
        )
    )
    admission_mode: AdmissionMode  # type: ignore[valid-type]
    room_opens_at: datetime | None = strawberry.field(
        description="WAITING_ROOM: joining opens (null: as soon as the sale is loaded)."
    )
    lottery_window_seconds: int = strawberry.field(
        description="WAITING_ROOM: entries joining before startsAt plus this are drawn."
    )
    grant_ttl_seconds: int = strawberry.field(description="WAITING_ROOM: how long a grant lasts.")
    admission_factor: int = strawberry.field(
        description="WAITING_ROOM: grants outstanding at most units left times this."
    )
    draw_seed: str | None = strawberry.field(
        description=(
            "WAITING_ROOM: the draw's seed (32 hex digits), published once drawn; "
            "docs/waiting-room.md says how to re-run the draw with it."
        )
    )
    model: strawberry.Private[models.SeckillEvent]

    @strawberry.field(
        permission_classes=[IsAdmin],
        description="WAITING_ROOM: the room's counters (admins only); null otherwise or cold.",
    )
    async def waiting_room(self, info: Info) -> WaitingRoomStats | None:
        if self.model.admission_mode is not models.AdmissionMode.WAITING_ROOM:
            return None
        _, counters, _ = await RoomStore.of(info.context.runtime).read(self.id)
        if counters is None:
            return None
        return WaitingRoomStats(
            joined=counters.joined,
            in_draw=counters.window,
            drawn=counters.drawn,
            admitted=counters.admitted,
            grants_outstanding=counters.outstanding,
            missed=counters.missed,
        )

    @strawberry.field(description="Units left: live from Redis while the sale is warm.")
    async def remaining_stock(self, info: Info) -> int:
        return remaining_stock(self.model, await warm_states(info.context).load(self.id))

    @strawberry.field(description="SCHEDULED, ACTIVE, SOLD_OUT or ENDED, from the server's clock.")
    async def status(self, info: Info) -> SeckillStatus:  # type: ignore[valid-type]
        return status_of(self.model, warm=await warm_states(info.context).load(self.id))

    @strawberry.field(description="The sale's name; the product's name when it has none.")
    async def name(self, info: Info) -> str:
        if self.model.name:
            return self.model.name
        found = await sale_products(info.context).load(self.model.product_id)
        return found.name if found else ""

    @strawberry.field(
        description=(
            "The signed-in shopper's latest ticket in this sale once the worker has written it "
            "(with its order and `payBy`); null for visitors and for shoppers without one."
        )
    )
    async def my_ticket(self, info: Info) -> SeckillTicket | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        view = await my_tickets(info.context, viewer.user_id).load(self.id)
        return SeckillTicket.from_view(view) if view else None

    @strawberry.field
    async def product(self, info: Info) -> Product:
        found = await sale_products(info.context).load(self.model.product_id)
        if found is None:  # guarded by a RESTRICT foreign key
            raise LookupError(f"product of event {self.id} is missing")
        return Product.from_model(found)

    @strawberry.field(description="The sale price of one unit.")
    async def price(self, info: Info) -> Money:
        found = await sale_products(info.context).load(self.model.product_id)
        amount: Decimal = self.model.price
        return Money(amount=amount, currency=found.currency if found else "CNY")

    @classmethod
    def from_model(cls, event: models.SeckillEvent) -> SeckillEvent:
        return cls(
            id=event.id,
            total_stock=event.total_stock,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            per_user_limit=event.per_user_limit,
            requires_verified_account=event.requires_verified_account,
            admission_mode=event.admission_mode,
            room_opens_at=event.room_opens_at,
            lottery_window_seconds=event.lottery_window_seconds,
            grant_ttl_seconds=event.grant_ttl_seconds,
            admission_factor=event.admission_factor,
            draw_seed=event.draw_seed,
            model=event,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SeckillEvent | None]:
        ids = node_pks(node_ids, "SeckillEvent")
        found = {e.id: e for e in await models.SeckillEvent.filter(id__in=ids)}
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="Your place in a flash sale: QUEUED until the order is written.")
class SeckillTicket(relay.Node):
    id: relay.NodeID[str]
    status: TicketStatus  # type: ignore[valid-type]
    failure_reason: str | None
    quantity: int
    event_id: strawberry.Private[int]
    order_id: strawberry.Private[int | None]
    view: strawberry.Private[TicketView]

    @strawberry.field
    async def event(self) -> SeckillEvent:
        return SeckillEvent.from_model(await models.SeckillEvent.get(id=self.event_id))

    @strawberry.field(description="The order awaiting payment, once the ticket SUCCEEDED.")
    async def order(
        self, info: Info
    ) -> Annotated[Order, strawberry.lazy("flashmart.graphql.orders.types")] | None:
        from flashmart.graphql.orders.types import Order  # the orders types import this module

        found = await self._order()
        return Order.from_model(found) if found else None

    @strawberry.field(
        description=(
            "Pay by then, or the order expires and its unit goes back on sale; null unless the "
            "order awaits payment."
        )
    )
    async def pay_by(self) -> datetime | None:
        if self.view.order is None and self.order_id is not None:
            return replace(self.view, order=await self._order()).pay_by
        return self.view.pay_by

    @strawberry.field(
        description=(
            "QUEUED: the reservation's place in the sale's persistence queue (1: the next to "
            "be written as an order); null otherwise."
        )
    )
    async def queue_position(self, info: Info) -> int | None:
        view = self.view
        if view.status is not models.TicketStatus.QUEUED:
            return None
        if view.queue_position is not None:
            return view.queue_position
        return await SaleStore.of(info.context.runtime).queue_position(view.event_id, view.id)

    async def _order(self) -> OrderModel | None:
        if self.view.order is not None:
            return self.view.order
        return None if self.order_id is None else await OrderModel.get_or_none(id=self.order_id)

    @classmethod
    def from_view(cls, view: TicketView) -> SeckillTicket:
        return cls(
            id=view.id,
            status=view.status,
            failure_reason=view.failure_reason,
            quantity=view.quantity,
            event_id=view.event_id,
            order_id=view.order_id,
            view=view,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SeckillTicket | None]:
        viewer = info.context.viewer
        result: list[SeckillTicket | None] = []
        for node_id in node_ids:
            view = (
                await ticket_for(info.context.runtime, ticket_id=node_id, user_id=viewer.user_id)
                if viewer
                else None
            )
            result.append(cls.from_view(view) if view else None)
        return result


@strawberry.type
class SeckillEventPayload:
    event: SeckillEvent | None
    user_errors: list[UserError]


@strawberry.type
class SeckillBuyPayload:
    ticket: SeckillTicket | None = strawberry.field(
        description="QUEUED at once; follow it with `seckillTicketUpdated` or `seckillTicket`."
    )
    user_errors: list[UserError]


@strawberry.type(description="One invariant of a sale, checked against Redis and the database.")
class SeckillAuditCheck:
    name: str
    passed: bool
    detail: str


@strawberry.type(description="The `flashmart seckill audit` report of a sale.")
class SeckillAudit:
    passed: bool
    total_stock: int
    remaining: int
    pending: int = strawberry.field(description="Units reserved but not yet persisted.")
    sold: int = strawberry.field(description="Units held by live orders.")
    orders: int
    tickets_succeeded: int
    tickets_failed: int
    oversold: int
    undersold: int
    max_per_user: int
    checks: list[SeckillAuditCheck]

    @classmethod
    def from_report(cls, report: AuditReport) -> SeckillAudit:
        return cls(
            passed=report.passed,
            total_stock=report.total_stock,
            remaining=report.remaining,
            pending=report.pending,
            sold=report.sold,
            orders=report.orders,
            tickets_succeeded=report.tickets_succeeded,
            tickets_failed=report.tickets_failed,
            oversold=report.oversold,
            undersold=report.undersold,
            max_per_user=report.max_per_user,
            checks=[
                SeckillAuditCheck(name=c.name, passed=c.passed, detail=c.detail)
                for c in report.checks
            ],
        )


@strawberry.type(description="Buy attempts in one second of a sale (accepted or refused).")
class SeckillAttemptSample:
    second: datetime = strawberry.field(description="The start of the second (Redis's clock).")
    attempts: int


@strawberry.type(description="A sale's live figures for the control room; fresh on every read.")
class SeckillEventStats:
    tickets_queued: int = strawberry.field(
        description="Reservations taken in Redis that the worker has not written yet."
    )
    tickets_succeeded: int = strawberry.field(description="Tickets that became an order.")
    tickets_failed: int = strawberry.field(description="Tickets the worker could not honour.")
    attempts_per_second: list[SeckillAttemptSample] = strawberry.field(
        description=(
            "Buy attempts in each of the last `seconds` (1 to 600) whole seconds, oldest first."
        )
    )

    @classmethod
    def from_stats(cls, stats: LiveStats) -> SeckillEventStats:
        return cls(
            tickets_queued=stats.tickets_queued,
            tickets_succeeded=stats.tickets_succeeded,
            tickets_failed=stats.tickets_failed,
            attempts_per_second=[
                SeckillAttemptSample(second=datetime.fromtimestamp(at, UTC), attempts=count)
                for at, count in stats.attempts
            ],
        )
