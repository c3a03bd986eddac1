"""Flash-sale operations: buying (shoppers) and running sales (administrators)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserErrorsExtension
from flashmart.graphql.ids import decode_id
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated
from flashmart.graphql.seckill.types import (
    AdmissionMode,
    SeckillBuyPayload,
    SeckillEvent,
    SeckillEventPayload,
    SeckillTicket,
    WaitingRoomEntry,
    WaitingRoomJoinPayload,
)
from flashmart.seckill import models, room
from flashmart.seckill.buy import buy
from flashmart.seckill.events import EventInput, create_event, update_event, warm_up


@strawberry.input(description="A new flash sale.")
class SeckillEventInput:
    product_id: strawberry.ID
    price: Decimal
    total_stock: int = strawberry.field(
        description="Units carved out of the product's stock for the sale."
    )
    starts_at: datetime
    ends_at: datetime
    per_user_limit: int = strawberry.field(default=1, description="Units per shopper.")
    requires_verified_account: bool = strawberry.field(
        default=False, description="Only shoppers with a verified email address may buy."
    )
    admission_mode: AdmissionMode = strawberry.field(  # type: ignore[valid-type]
        default=models.AdmissionMode.FIRST_COME,
        description="WAITING_ROOM: shoppers join a room and buy when admitted.",
    )
    room_opens_at: datetime | None = strawberry.field(
        default=None,
        description="WAITING_ROOM: joining opens (before startsAt; null: once loaded).",
    )
    lottery_window_seconds: int = strawberry.field(
        default=60, description="WAITING_ROOM: 0 to 3600; joins until startsAt plus this are drawn."
    )
    grant_ttl_seconds: int = strawberry.field(
        default=120, description="WAITING_ROOM: 1 to 3600; how long an admission lasts."
    )
    admission_factor: int = strawberry.field(
        default=3, description="WAITING_ROOM: 1 to 100; grants outstanding per unit left."
    )
    name: str | None = strawberry.field(
        default=None, description="Shown in lists (at most 120 characters); empty: the product's."
    )


@strawberry.input(description="Changes to a flash sale; omitted fields stay as they are.")
class SeckillEventUpdateInput:
    price: Decimal | None = None
    total_stock: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    per_user_limit: int | None = None
    requires_verified_account: bool | None = strawberry.field(
        default=None, description="Only shoppers with a verified email address may buy."
    )
    admission_mode: AdmissionMode | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Fixed once the sale is warm or live."
    )
    room_opens_at: datetime | None = strawberry.field(
        default=None, description="Fixed once the sale has started."
    )
    lottery_window_seconds: int | None = strawberry.field(
        default=None, description="Fixed once the sale has started."
    )
    grant_ttl_seconds: int | None = None
    admission_factor: int | None = None
    name: str | None = strawberry.field(
        default=None, description="A new name; empty clears it (the product's name is shown)."
    )


def _input(data: SeckillEventInput | SeckillEventUpdateInput) -> EventInput:
    product = getattr(data, "product_id", None)
    return EventInput(
        product_id=decode_id(product, "Product") if product else None,
        price=data.price,
        total_stock=data.total_stock,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        per_user_limit=data.per_user_limit,
        requires_verified_account=data.requires_verified_account,
        admission_mode=data.admission_mode,
        room_opens_at=data.room_opens_at,
        lottery_window_seconds=data.lottery_window_seconds,
        grant_ttl_seconds=data.grant_ttl_seconds,
        admission_factor=data.admission_factor,
        name=data.name,
    )


def _event_payload(event: models.SeckillEvent) -> SeckillEventPayload:
    return SeckillEventPayload(event=SeckillEvent.from_model(event), user_errors=[])


@strawberry.type
class SeckillMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Try to buy in a flash sale. Answers at once: a QUEUED ticket, or userErrors "
            "NOT_STARTED, ENDED, EMAIL_NOT_VERIFIED (the sale requires a verified account and "
            "the access token does not say so: verify, then `tokenRefresh`), SOLD_OUT, "
            "ALREADY_PURCHASED, LIMIT_EXCEEDED, NOT_ADMITTED (a WAITING_ROOM sale and no valid "
            "admission grant: `waitingRoomJoin`, then wait for ADMITTED); too many attempts "
            "give a top-level RATE_LIMITED error with `retryAfter`."
        ),
    )
    async def seckill_buy(
        self, info: Info, event_id: strawberry.ID, quantity: int = 1
    ) -> SeckillBuyPayload:
        viewer = info.context.require_viewer()
        ticket = await buy(
            info.context.runtime,
            user_id=viewer.user_id,
            event_id=decode_id(event_id, "SeckillEvent"),
            quantity=quantity,
            client_ip=info.context.client_ip,
            email_verified=viewer.email_verified,
        )
        return SeckillBuyPayload(ticket=SeckillTicket.from_view(ticket), user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        extensions=[UserErrorsExtension()],
        description=(
            "Join a WAITING_ROOM sale's waiting room (joining again returns your entry). "
            "userErrors: NOT_IN_JOIN_WINDOW, NOT_WAITING_ROOM, EMAIL_NOT_VERIFIED, SOLD_OUT, "
            "NOT_FOUND; too many joins give a top-level RATE_LIMITED error with `retryAfter`. "
            "Follow your entry with `waitingRoomUpdated`."
        ),
    )
    async def waiting_room_join(
        self, info: Info, event_id: strawberry.ID
    ) -> WaitingRoomJoinPayload:
        viewer = info.context.require_viewer()
        entry = await room.join(
            info.context.runtime,
            event_id=decode_id(event_id, "SeckillEvent"),
            user_id=viewer.user_id,
            client_ip=info.context.client_ip,
            email_verified=viewer.email_verified,
        )
        return WaitingRoomJoinPayload(entry=WaitingRoomEntry.from_view(entry), user_errors=[])

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Create a flash sale; its units are taken from the product's stock.",
    )
    async def seckill_event_create(
        self, info: Info, input: SeckillEventInput
    ) -> SeckillEventPayload:
        return _event_payload(await create_event(_input(input), runtime=info.context.runtime))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Change a sale before it ends (stock only before it is warm or live).",
    )
    async def seckill_event_update(
        self, info: Info, id: strawberry.ID, input: SeckillEventUpdateInput
    ) -> SeckillEventPayload:
        return _event_payload(
            await update_event(info.context.runtime, decode_id(id, "SeckillEvent"), _input(input))
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Load the sale into Redis now. Idempotent: never resets a running sale.",
    )
    async def seckill_event_warmup(self, info: Info, id: strawberry.ID) -> SeckillEventPayload:
        return _event_payload(await warm_up(info.context.runtime, decode_id(id, "SeckillEvent")))
