"""The buy: one Redis script call reserves a unit and queues its persist job; no database.

`buy` answers the shopper at once with a QUEUED ticket or a refusal. The worker writes the
order later (`persist.py`); until then the ticket is read from the reservation ledger.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Coroutine, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from flashmart.core import tracing
from flashmart.core.errors import ErrorCode, rate_limited, service_unavailable
from flashmart.core.i18n import text
from flashmart.core.metrics import BUY_OUTCOME
from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order, OrderStatus
from flashmart.seckill.announce import ticket_channel
from flashmart.seckill.errors import REFUSALS
from flashmart.seckill.events import fail
from flashmart.seckill.models import SeckillTicket, TicketStatus
from flashmart.seckill.soldout import add_tally, sold_out_memo
from flashmart.seckill.store import PERSIST_JOB, ReserveCode, ReserveResult, SaleStore

logger = logging.getLogger("flashmart.seckill")

# `flashmart_seckill_buys_total` children, bound at import: one `inc()` per attempt.
_BUY_BY_CODE = {code: BUY_OUTCOME[error.value] for code, (error, _) in REFUSALS.items()}
_BUY_BY_CODE[ReserveCode.RATE_LIMITED] = BUY_OUTCOME[ReserveCode.RATE_LIMITED.value]
_BUY_OK = BUY_OUTCOME["ok"]
_BUY_INVALID = BUY_OUTCOME[ErrorCode.INVALID.value]
_BUY_UNAVAILABLE = BUY_OUTCOME["SERVICE_UNAVAILABLE"]
_BUY_ERROR = BUY_OUTCOME["error"]
_BUY_SOLD_OUT = _BUY_BY_CODE[ReserveCode.SOLD_OUT]
_SOLD_OUT_REFUSAL = REFUSALS[ReserveCode.SOLD_OUT]
_tasks: set[asyncio.Task[None]] = set()  # the memo's counter updates, until they are done


def _background(work: Coroutine[Any, Any, None]) -> None:
    task = asyncio.create_task(work)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


@dataclass(frozen=True)
class TicketView:
    id: str
    event_id: int
    user_id: int
    quantity: int
    status: TicketStatus
    order_id: int | None = None
    failure_reason: str | None = None
    order: Order | None = None  # the order row, when the read fetched it with the ticket
    # QUEUED: the place in the sale's persistence queue, when the read looked it up
    queue_position: int | None = None

    @property
    def pay_by(self) -> datetime | None:
        """When the order awaiting payment expires (None once paid, expired or cancelled)."""
        order = self.order
        if order is None or order.status != OrderStatus.PENDING_PAYMENT:
            return None
        return order.expires_at


async def buy(
    runtime: Runtime,
    *,
    user_id: int,
    event_id: int,
    quantity: int,
    client_ip: str,
    email_verified: bool = False,
) -> TicketView:
    """Reserve units in one Redis script call; the worker persists the order. No database.

    A sale that is not in Redis (not warmed yet, or Redis lost it) answers NOT_STARTED and
    changes nothing: only administrators and the warm-up cron warm sales (`events.warm_up`),
    so a shopper can neither load a future sale nor make the API read the database.

    `email_verified` is what the shopper's access token says (`AccessClaims.email_verified`):
    a sale that requires a verified account refuses the others (EMAIL_NOT_VERIFIED) in the
    same script call, reserving nothing.

    Every attempt counts once in `flashmart_seckill_buys_total` by the outcome it answers."""
    settings = runtime.settings
    if not 1 <= quantity <= settings.seckill_max_quantity:
        _BUY_INVALID.inc()
        raise fail(
            ErrorCode.INVALID,
            text("Quantity must be 1 to {maximum}", maximum=settings.seckill_max_quantity),
            "quantity",
        )
    memo = sold_out_memo(runtime)
    if memo.check(event_id):  # sold out a moment ago: no script call (seckill/soldout.py)
        _BUY_SOLD_OUT.inc()
        raise fail(*_SOLD_OUT_REFUSAL, "eventId")
    ticket_id = uuid.uuid4().hex
    enqueue = settings.enqueues_in_script
    try:
        result = await _reserve(
            runtime, user_id, event_id, quantity, ticket_id, client_ip, enqueue, email_verified
        )
    except Exception:
        _BUY_ERROR.inc()
        raise
    if memo.tally and (tally := memo.take_tally(event_id)) is not None:
        _background(add_tally(runtime, event_id, tally))
    if result.code is ReserveCode.SOLD_OUT and result.value <= 0:
        memo.mark(event_id, settings.seckill_sold_out_memo_ms / 1000)
    if result.replicated >= 0 and result.code is ReserveCode.OK:
        _check_replicated(runtime, result)
    if result.code is ReserveCode.RATE_LIMITED:
        _BUY_BY_CODE[result.code].inc()
        raise rate_limited(result.value / 1000)
    if result.code is not ReserveCode.OK:
        _BUY_BY_CODE[result.code].inc()
        code, message = REFUSALS[result.code]
        raise fail(code, message, "eventId")
    if not enqueue:
        # The reconciler persists the reservation should this enqueue never happen.
        traced: dict[str, Any] = {}
        if result.traceparent is not None:  # tracing on (core/tracing.py)
            traced[tracing.JOB_TRACEPARENT] = result.traceparent
        try:
            await runtime.queue.enqueue_job(
                PERSIST_JOB, event_id, ticket_id, user_id, quantity, int(time.time() * 1000),
                _job_id=ticket_id, **traced,
            )  # fmt: skip
        except Exception:
            _BUY_ERROR.inc()
            raise
    _BUY_OK.inc()
    return TicketView(
        id=ticket_id,
        event_id=event_id,
        user_id=user_id,
        quantity=quantity,
        status=TicketStatus.QUEUED,
    )


async def _reserve(
    runtime: Runtime,
    user_id: int,
    event_id: int,
    quantity: int,
    ticket_id: str,
    client_ip: str,
    enqueue: bool,
    email_verified: bool,
) -> ReserveResult:
    s = runtime.settings
    plan = runtime.durability
    return await SaleStore.of(runtime).reserve(
        event_id=event_id,
        user_id=user_id,
        quantity=quantity,
        ticket_id=ticket_id,
        client_ip=client_ip,
        user_rate=s.seckill_user_rate,
        user_burst=s.seckill_user_burst,
        ip_rate=s.seckill_ip_rate,
        ip_burst=s.seckill_ip_burst,
        enqueue=enqueue,
        wait=plan.wait if plan is not None else None,
        email_verified=email_verified,
    )


def _check_replicated(runtime: Runtime, result: ReserveResult) -> None:
    """Durable on a replica: no replica acknowledged in time, so no QUEUED answer. The
    reservation stands and the worker persists it; the shopper finds the ticket on retry."""
    plan = runtime.durability
    needed = plan.wait[0] if plan is not None and plan.wait is not None else 0
    if result.replicated < needed:
        _BUY_UNAVAILABLE.inc()
        logger.warning("reservation not acknowledged by a replica in time")
        raise service_unavailable(1)


async def ticket_for(runtime: Runtime, *, ticket_id: str, user_id: int) -> TicketView | None:
    """The shopper's own ticket: from the database once persisted, else from the ledger."""
    row = await SeckillTicket.get_or_none(id=ticket_id, user_id=user_id)
    if row is not None:
        return _view(row)
    sales = SaleStore.of(runtime)
    for event_id in await sales.warm_event_ids():
        entry = await sales.ledger_entry(event_id, ticket_id)
        if entry is not None and entry.user_id == user_id:
            return TicketView(
                id=ticket_id,
                event_id=event_id,
                user_id=user_id,
                quantity=entry.quantity,
                status=TicketStatus.QUEUED,
                queue_position=await sales.queue_position(event_id, ticket_id),
            )
    return None


async def ticket_updates(
    runtime: Runtime, *, ticket_id: str, user_id: int, rate: float
) -> AsyncIterator[TicketView | None]:
    """The shopper's ticket now, then after every announced change; while it is QUEUED, also
    whenever its place in the persistence queue moves (looked up `rate` times a second: one
    ZRANK per waiting ticket, for the second or so a reservation waits). None: not theirs."""
    assert runtime.broker is not None
    channel = ticket_channel(runtime.keys, ticket_id)
    sales = SaleStore.of(runtime)
    async with runtime.broker.listen(channel) as listener:
        view = await ticket_for(runtime, ticket_id=ticket_id, user_id=user_id)
        yield view
        while view is not None:
            if view.status is TicketStatus.QUEUED:
                try:
                    await asyncio.wait_for(listener.get(), timeout=1 / rate)
                except TimeoutError:
                    place = await sales.queue_position(view.event_id, ticket_id)
                    if place is not None and place != view.queue_position:
                        view = replace(view, queue_position=place)
                        yield view
                    if place is not None:
                        continue  # still waiting; else written or released: read it
            else:
                await listener.get()
            listener.drain()  # one read covers every change announced so far
            view = await ticket_for(runtime, ticket_id=ticket_id, user_id=user_id)
            yield view


async def latest_tickets(*, event_ids: Sequence[int], user_id: int) -> dict[int, TicketView]:
    """The shopper's latest written ticket in each of these sales, with its order: one query,
    served by the (event, user, id) unique index; the buy path never calls it. A reservation
    the worker has not written yet (a few milliseconds after the buy) is not among them."""
    rows = (
        await SeckillTicket.filter(event_id__in=list(event_ids), user_id=user_id)
        .select_related("order")
        .order_by("reserved_at", "id")
    )
    # Ordered oldest first, so the latest ticket of each sale is the one that stays.
    return {row.event_id: _view(row, order=cast(Order | None, row.order)) for row in rows}


def _view(row: SeckillTicket, *, order: Order | None = None) -> TicketView:
    return TicketView(
        id=row.id,
        event_id=row.event_id,
        user_id=row.user_id,
        quantity=row.quantity,
        status=row.status,
        order_id=row.order_id,
        failure_reason=row.failure_reason,
        order=order,
    )
