"""Writing reservations as orders: idempotent, exactly once, after crashes and lost scripts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashmart.accounts.models import User
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order
from flashmart.seckill import store
from flashmart.seckill.announce import TICKET_TOPIC
from flashmart.seckill.audit import audit
from flashmart.seckill.events import warm_up
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.persist import PersistOutcome, persist_reservation, write
from flashmart.seckill.reconcile import ReconcileReport, reconcile
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import (
    drain,
    own_redis_runtime,
    relaxed,
    remaining,
    sale,
    shoppers,
    try_buy,
    warm_sale,
)


async def test_a_job_run_twice_makes_one_order(runtime: Runtime) -> None:
    """Crash window 3: at-least-once delivery runs the same job twice, even concurrently."""
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 3)
    ticket_id = await try_buy(runtime, user.id, event.id)
    assert isinstance(ticket_id, str)
    entry = await SaleStore.of(runtime).ledger_entry(event.id, ticket_id)
    assert entry is not None
    args = {
        "event_id": event.id,
        "ticket_id": ticket_id,
        "user_id": user.id,
        "quantity": 1,
        "reserved_ms": entry.reserved_ms,
    }
    outcomes = await asyncio.gather(*(persist_reservation(runtime, **args) for _ in range(5)))
    assert sorted(o.value for o in outcomes).count("created") == 1
    await drain(runtime)  # the queued job itself runs too: still one order
    assert await Order.filter(seckill_event_id=event.id).count() == 1
    assert (await SeckillEvent.get(id=event.id)).sold == 1


async def test_deactivated_shopper_gets_failed_ticket_and_unit_back(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    user, other = await shoppers(2)
    event = await warm_sale(runtime, 1)
    ticket_id = await try_buy(runtime, user.id, event.id)
    user.is_active = False
    await user.save()
    await drain(runtime)
    ticket = await SeckillTicket.get(id=ticket_id)
    assert ticket.status is TicketStatus.FAILED and ticket.failure_reason
    assert isinstance(await try_buy(runtime, other.id, event.id), str)  # the unit is for sale again
    await drain(runtime)
    assert (await audit(runtime, event.id)).passed


async def _two_reservations(
    runtime: Runtime,
) -> tuple[list[User], SeckillEvent, list[str], store.LedgerEntry]:
    """Two shoppers' reservations of a 2-unit sale, and the first one's ledger entry."""
    users = await shoppers(2)
    event = await sale(2)
    await warm_up(runtime, event.id)
    tickets = [await try_buy(runtime, u.id, event.id) for u in users]
    ids = [t for t in tickets if isinstance(t, str)]
    assert len(ids) == 2, tickets
    entry = await SaleStore.of(runtime).ledger_entry(event.id, ids[0])
    assert entry is not None
    return users, event, ids, entry


@pytest.mark.parametrize("batch", [1, 50])
async def test_a_failed_ticket_whose_release_was_cut_short_is_released_once(
    runtime: Runtime, batch: int
) -> None:
    """A crash between the FAILED ticket's commit and the release: the next run releases."""
    runtime = relaxed(runtime, seckill_persist_batch=batch)
    users, event, (failed_id, bought_id), entry = await _two_reservations(runtime)
    await SeckillTicket.create(  # what the dead run committed; its ledger entry stayed reserved
        id=failed_id, event_id=event.id, user_id=users[0].id, quantity=1,
        status=TicketStatus.FAILED, failure_reason="The account is no longer active",
        reserved_at=datetime.fromtimestamp(entry.reserved_ms / 1000, UTC),
    )  # fmt: skip
    assert await remaining(runtime, event.id) == 0

    await drain(runtime)

    assert await remaining(runtime, event.id) == 1
    assert await SeckillTicket.filter(id=bought_id, status=TicketStatus.SUCCEEDED).exists()
    assert await reconcile(runtime) == ReconcileReport()
    assert await remaining(runtime, event.id) == 1
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.remaining, report.pending) == (1, 1, 0)


@pytest.mark.parametrize("batch", [1, 50])
async def test_a_run_cut_short_after_its_commit_is_announced_by_the_next(
    runtime: Runtime, batch: int
) -> None:
    """A crash between the commit and the Redis step: the ledger entry stayed reserved and
    the shopper's subscription heard nothing. The job's next run finds the ticket written,
    settles the entry and tells the subscription to re-read."""
    runtime = relaxed(runtime, seckill_persist_batch=batch)
    users, event, (cut_id, _), entry = await _two_reservations(runtime)
    done = await write(runtime, event.id, [entry])  # the dead run's transaction, committed
    assert entry.ticket_id == cut_id and entry.user_id == users[0].id
    assert done.outcomes[cut_id] is PersistOutcome.CREATED
    assert await SaleStore.of(runtime).pending_count(event.id) == 2

    pubsub = runtime.redis.pubsub()
    await pubsub.subscribe(runtime.keys.channel(TICKET_TOPIC, cut_id))
    try:
        await drain(runtime)
        heard = []
        deadline = asyncio.get_running_loop().time() + 1
        while asyncio.get_running_loop().time() < deadline:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
            if message is not None:
                heard.append(message["data"])
    finally:
        await pubsub.aclose()
    assert heard and set(heard) == {cut_id.encode()}
    assert await SaleStore.of(runtime).pending_count(event.id) == 0
    assert await Order.filter(seckill_event_id=event.id).count() == 2
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.pending, report.orders) == (2, 0, 2)


async def test_a_single_persist_whose_order_number_collides_tries_again(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A duplicate order number must not pass for "already persisted" (the ticket would be lost)."""
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await sale(1)
    await warm_up(runtime, event.id)
    ticket = await try_buy(runtime, user.id, event.id)
    assert isinstance(ticket, str)
    taken = orders.new_order_number()
    await Order.create(number=taken, user_id=user.id, total=1, expires_at=event.ends_at)
    real = orders.new_order_number
    calls = {"n": 0}

    def colliding() -> str:
        calls["n"] += 1
        return taken if calls["n"] <= 2 else real()

    monkeypatch.setattr(orders, "new_order_number", colliding)
    entry = await SaleStore.of(runtime).ledger_entry(event.id, ticket)
    assert entry is not None
    outcome = await persist_reservation(
        runtime, event_id=event.id, ticket_id=ticket, user_id=user.id, quantity=1,
        reserved_ms=entry.reserved_ms,
    )  # fmt: skip
    assert (outcome, calls["n"]) == (PersistOutcome.CREATED, 3)
    assert await SeckillTicket.filter(id=ticket, status=TicketStatus.SUCCEEDED).exists()
    report = await audit(runtime, event.id)
    assert report.passed, report.checks


async def test_persisting_after_redis_forgot_its_scripts_still_settles_the_ledger(
    runtime: Runtime, tmp_path: Path
) -> None:
    """The ledger update rides in a pipeline by SHA; after SCRIPT FLUSH (a restarted Redis) the
    persist job loads the script again instead of leaving the entry pending."""
    async with own_redis_runtime(runtime, tmp_path) as mine:  # ours to flush
        own = mine.redis
        (user,) = await shoppers(1)
        event = await sale(2)
        await warm_up(mine, event.id)
        ticket_id = await try_buy(mine, user.id, event.id)
        assert isinstance(ticket_id, str)
        entry = await SaleStore(own, mine.keys).ledger_entry(event.id, ticket_id)
        assert entry is not None
        await own.script_flush()
        outcome = await persist_reservation(
            mine, event_id=event.id, ticket_id=ticket_id, user_id=user.id, quantity=1,
            reserved_ms=entry.reserved_ms,
        )  # fmt: skip
        assert outcome is PersistOutcome.CREATED
        settled = await SaleStore(own, mine.keys).ledger_entry(event.id, ticket_id)
        assert settled is not None and settled.state == "persisted"
        assert await SaleStore(own, mine.keys).pending_count(event.id) == 0
        order = await Order.get(seckill_event_id=event.id, user_id=user.id)
        expiry = await own.zscore(mine.keys.queue, orders.expiry_job_id(mine, order.id))
        assert expiry == int(order.expires_at.timestamp() * 1000)  # type: ignore[union-attr]
