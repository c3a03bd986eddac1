"""The database never counts more units than a sale has: a reservation Redis promised beyond
the stock (Redis lost data) or after the close becomes a FAILED ticket, and nothing else moves."""

from __future__ import annotations

from datetime import UTC, datetime

from flashmart.catalog.models import Product
from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.persist import (
    CLOSED_REASON,
    NO_ROOM_REASON,
    PersistOutcome,
    persist_reservation,
)
from flashmart.seckill.reconcile import close_if_done
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import drain, relaxed, remaining, shoppers, try_buy, warm_sale


async def test_units_redis_promised_beyond_the_stock_are_refused(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(4)
    event = await warm_sale(runtime, 2)
    await runtime.redis.set(runtime.keys.event_stock(event.id), 3)  # Redis believes in 3
    tickets = [await try_buy(runtime, u.id, event.id) for u in users[:3]]
    assert all(isinstance(t, str) for t in tickets)
    await drain(runtime)  # one batch of three: refused whole, then written one by one
    assert (await SeckillEvent.get(id=event.id)).sold == 2
    assert await Order.filter(seckill_event_id=event.id).count() == 2
    (failed,) = await SeckillTicket.filter(event_id=event.id, status=TicketStatus.FAILED)
    assert failed.failure_reason == NO_ROOM_REASON and failed.order_id is None
    assert await remaining(runtime, event.id) == 0  # the refused unit is not put on sale
    assert await SaleStore.of(runtime).pending_count(event.id) == 0
    entry = await SaleStore.of(runtime).ledger_entry(event.id, failed.id)
    assert entry is not None and entry.state == "failed"
    again = await persist_reservation(  # a retried job: the refusal stands, no unit comes back
        runtime, event_id=event.id, ticket_id=failed.id, user_id=failed.user_id,
        quantity=1, reserved_ms=entry.reserved_ms,
    )  # fmt: skip
    assert again is PersistOutcome.ALREADY
    assert await remaining(runtime, event.id) == 0


async def test_a_reservation_written_after_the_close_is_refused(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 3, product_stock=3)
    ticket_id = await try_buy(runtime, user.id, event.id)
    assert isinstance(ticket_id, str)
    entry = await SaleStore.of(runtime).ledger_entry(event.id, ticket_id)
    assert entry is not None
    await runtime.redis.delete(runtime.keys.event_pending(event.id))  # Redis lost the set
    await SeckillEvent.filter(id=event.id).update(ends_at=datetime.now(UTC))
    assert await close_if_done(runtime, event.id)
    assert (await Product.get(id=event.product_id)).stock == 3  # type: ignore[attr-defined]
    outcome = await persist_reservation(
        runtime, event_id=event.id, ticket_id=ticket_id, user_id=user.id, quantity=1,
        reserved_ms=entry.reserved_ms,
    )  # fmt: skip
    assert outcome is PersistOutcome.FAILED
    ticket = await SeckillTicket.get(id=ticket_id)
    assert ticket.failure_reason == CLOSED_REASON
    assert (await SeckillEvent.get(id=event.id)).sold == 0
    assert (await Product.get(id=event.product_id)).stock == 3  # type: ignore[attr-defined]
    assert await Order.filter(seckill_event_id=event.id).count() == 0
