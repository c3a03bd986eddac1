from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from flashmart.accounts.models import User
from flashmart.catalog.models import Product


class AdmissionMode(StrEnum):
    """How a sale lets shoppers buy: FIRST_COME (whoever reaches the reserve script first) or
    WAITING_ROOM (a published random draw of the room's entrants, then admission grants;
    seckill/room.py, docs/waiting-room.md)."""

    FIRST_COME = "FIRST_COME"
    WAITING_ROOM = "WAITING_ROOM"


class SeckillEvent(Model):
    """A flash sale: `total_stock` units of a product at `price` from `starts_at` to `ends_at`.

    The units are carved out of the product's stock when the event is created; `sold` counts
    the units held by live orders (paid or awaiting payment), never more than `total_stock` (a
    CHECK constraint, migration 6). When the event has ended and
    every reservation is persisted, `closed_at` is set and the rest goes back to the product.
    """

    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="seckill_events", on_delete=fields.RESTRICT
    )
    product_id: int
    # Shown in lists; empty means "use the product's name" (see `display_name`).
    name = fields.CharField(max_length=120, default="")
    price = fields.DecimalField(max_digits=12, decimal_places=2)
    total_stock = fields.IntField()
    sold = fields.IntField(default=0)
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField(db_index=True)
    per_user_limit = fields.IntField(default=1)
    # Only shoppers whose access token says their email is verified may buy (reserve.lua
    # checks the flag Redis keeps with the sale; no database on the buy path).
    requires_verified_account = fields.BooleanField(default=False)
    # The waiting room (docs/waiting-room.md): shoppers join from `room_opens_at` (None: as soon
    # as the sale is warm) until the sale ends; those who join before `starts_at` plus
    # `lottery_window_seconds` are drawn in random order, later ones queue behind them. Each
    # admitted shopper holds a grant for `grant_ttl_seconds`; about `admission_factor` times
    # the units left are admitted at a time. `draw_seed` is published once the draw is done.
    admission_mode = fields.CharEnumField(
        AdmissionMode, max_length=16, default=AdmissionMode.FIRST_COME
    )
    room_opens_at = fields.DatetimeField(null=True)
    lottery_window_seconds = fields.IntField(default=60)
    grant_ttl_seconds = fields.IntField(default=120)
    admission_factor = fields.IntField(default=3)
    draw_seed = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "seckill_event"


class TicketStatus(StrEnum):
    QUEUED = "QUEUED"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class SeckillTicket(Model):
    """A persisted reservation. While the worker has not written it yet, a ticket lives only in
    the event's Redis ledger and reads as QUEUED."""

    id = fields.CharField(max_length=40, primary_key=True)
    event: fields.ForeignKeyRelation[SeckillEvent] = fields.ForeignKeyField(
        "models.SeckillEvent", related_name="tickets", on_delete=fields.RESTRICT
    )
    event_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="seckill_tickets", on_delete=fields.RESTRICT
    )
    user_id: int
    quantity = fields.IntField()
    status = fields.CharEnumField(TicketStatus, max_length=12)
    failure_reason = fields.CharField(max_length=200, null=True)
    order: fields.OneToOneNullableRelation[Model] = fields.OneToOneField(
        "models.Order", related_name="seckill_ticket", null=True, on_delete=fields.SET_NULL
    )
    order_id: int | None
    reserved_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "seckill_ticket"
        unique_together = (("event", "user", "id"),)
