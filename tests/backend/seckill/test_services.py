"""The flash-sale core on real Redis and real databases: windows, limits, persistence, repair."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis.exceptions import RedisError

from flashmart.accounts.models import User
from flashmart.catalog.models import Product
from flashmart.core import embedded_redis
from flashmart.core.errors import ApiError, DomainFailure, ErrorCode
from flashmart.core.queue import create_queue
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderStatus
from flashmart.seckill import services as seckill
from flashmart.seckill import store
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from tests.backend.seckill.factories import drain, own_redis_runtime, relaxed, sale, shoppers


async def _buy(runtime: Runtime, user_id: int, event_id: int, quantity: int = 1) -> ErrorCode | str:
    try:
        ticket = await seckill.buy(
            runtime, user_id=user_id, event_id=event_id, quantity=quantity, client_ip="10.0.0.1"
        )
    except DomainFailure as failure:
        return failure.errors[0].code
    return ticket.id


async def test_event_units_come_out_of_product_stock(runtime: Runtime) -> None:
    event = await sale(30, product_stock=40)
    assert (await Product.get(id=event.product_id)).stock == 10  # type: ignore[attr-defined]
    with pytest.raises(DomainFailure) as failure:
        await sale(50, product_stock=49)
    assert failure.value.errors[0].code is ErrorCode.INSUFFICIENT_STOCK
    assert await SeckillEvent.all().count() == 1


async def test_window_edges(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    early = await sale(5, starts_in=timedelta(minutes=5))
    late = await sale(6, starts_in=timedelta(hours=-2), lasts=timedelta(hours=1))
    assert await _buy(runtime, user.id, early.id) is ErrorCode.NOT_STARTED
    with pytest.raises(DomainFailure) as ended:  # an ended sale cannot even be warmed
        await seckill.buy(runtime, user_id=user.id, event_id=late.id, quantity=1, client_ip="x")
    assert ended.value.errors[0].code is ErrorCode.ENDED


async def test_sold_out_exactly_at_zero_and_per_user_limits(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(4)
    event = await sale(3, per_user_limit=2)
    assert isinstance(await _buy(runtime, users[0].id, event.id, 2), str)
    assert await _buy(runtime, users[0].id, event.id) is ErrorCode.ALREADY_PURCHASED
    assert await _buy(runtime, users[1].id, event.id, 3) is ErrorCode.LIMIT_EXCEEDED
    assert await _buy(runtime, users[1].id, event.id, 2) is ErrorCode.SOLD_OUT  # 1 left, wants 2
    assert isinstance(await _buy(runtime, users[1].id, event.id, 1), str)  # the last unit
    assert await _buy(runtime, users[2].id, event.id) is ErrorCode.SOLD_OUT
    states = await store.read_states(runtime.redis, runtime.keys, [event.id])
    assert states[event.id].remaining == 0


async def test_rate_limit_is_a_top_level_error_with_retry_after(runtime: Runtime) -> None:
    runtime = relaxed(runtime, seckill_user_rate=1.0, seckill_user_burst=2)
    (user,) = await shoppers(1)
    event = await sale(10, per_user_limit=10)
    await _buy(runtime, user.id, event.id)
    await _buy(runtime, user.id, event.id)
    with pytest.raises(ApiError) as limited:
        await _buy(runtime, user.id, event.id)
    assert limited.value.code.value == "RATE_LIMITED"
    assert limited.value.extra["retryAfter"] >= 1


async def test_warming_twice_never_resets_a_running_sale(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(2)
    event = await sale(5)
    await seckill.warm_up(runtime, event.id)
    await _buy(runtime, users[0].id, event.id)
    await seckill.warm_up(runtime, event.id)
    assert (await store.read_states(runtime.redis, runtime.keys, [event.id]))[
        event.id
    ].remaining == 4


async def test_live_stats_count_attempts_and_tickets(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(3)
    event = await sale(2)
    await seckill.warm_up(runtime, event.id)
    for user in users:  # two reservations, one refusal (sold out): three attempts
        await _buy(runtime, user.id, event.id)
    queued = await seckill.live_stats(runtime, event.id, seconds=5)
    assert (queued.tickets_queued, queued.tickets_succeeded, queued.tickets_failed) == (2, 0, 0)
    assert len(queued.attempts) == 5
    await asyncio.sleep(1.05)  # the attempts' second is now a whole second in the past
    minute = (await seckill.live_stats(runtime, event.id)).attempts
    seconds = [second for second, _ in minute]
    assert len(seconds) == 60 and seconds == list(range(seconds[0], seconds[0] + 60))
    assert sum(n for _, n in minute) == 3

    await drain(runtime)
    done = await seckill.live_stats(runtime, event.id, seconds=10_000)
    assert (done.tickets_queued, done.tickets_succeeded, done.tickets_failed) == (0, 2, 0)
    assert len(done.attempts) == seckill.MAX_STATS_SECONDS
    with pytest.raises(DomainFailure) as missing:
        await seckill.live_stats(runtime, 999_999)
    assert missing.value.errors[0].code is ErrorCode.NOT_FOUND


@pytest.mark.slow
async def test_3000_attempts_by_1000_shoppers_for_100_units(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(1000)
    event = await sale(100)
    await seckill.warm_up(runtime, event.id)
    attempts = [u.id for u in users] * 3
    results = await asyncio.gather(*(_buy(runtime, uid, event.id) for uid in attempts))
    won = [r for r in results if isinstance(r, str)]
    assert len(won) == 100
    refusals = {r for r in results if not isinstance(r, str)}
    assert refusals <= {ErrorCode.SOLD_OUT, ErrorCode.ALREADY_PURCHASED}

    await drain(runtime)
    assert (
        await SeckillTicket.filter(event_id=event.id, status=TicketStatus.SUCCEEDED).count() == 100
    )
    assert await Order.filter(seckill_event_id=event.id).count() == 100
    buyers = await SeckillTicket.filter(event_id=event.id).values_list("user_id", flat=True)
    assert len(set(buyers)) == 100  # nobody has two
    report = await seckill.audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.remaining, report.sold, report.oversold, report.undersold) == (0, 100, 0, 0)


async def test_enqueue_failure_is_repaired_by_the_reconciler(
    runtime: Runtime, tmp_path: Path
) -> None:
    """Crash window 1: the script reserved, the separate enqueue failed."""
    queue_server = embedded_redis.start(tmp_path, reuse=False)  # a queue Redis we can break
    broken_queue = await create_queue(runtime.settings, queue_server.url)
    queue_server.stop()
    runtime = relaxed(
        runtime, seckill_enqueue_in_script=False, seckill_reconcile_after_seconds=0.01
    )
    broken = Runtime(
        settings=runtime.settings, redis=runtime.redis, queue=broken_queue, keys=runtime.keys
    )
    (user,) = await shoppers(1)
    event = await sale(3)
    with pytest.raises((OSError, RedisError)):
        await seckill.buy(broken, user_id=user.id, event_id=event.id, quantity=1, client_ip="x")
    await broken_queue.aclose()
    assert await store.pending_count(runtime.redis, runtime.keys, event.id) == 1
    assert await Order.all().count() == 0
    await asyncio.sleep(0.05)
    report = await seckill.reconcile(runtime)
    assert report.persisted == 1
    assert await Order.filter(seckill_event_id=event.id, user_id=user.id).count() == 1
    assert (await seckill.audit(runtime, event.id)).passed


async def test_a_job_run_twice_makes_one_order(runtime: Runtime) -> None:
    """Crash window 3: at-least-once delivery runs the same job twice, even concurrently."""
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await sale(3)
    ticket_id = await _buy(runtime, user.id, event.id)
    assert isinstance(ticket_id, str)
    entry = await store.ledger_entry(runtime.redis, runtime.keys, event.id, ticket_id)
    assert entry is not None
    args = {
        "event_id": event.id,
        "ticket_id": ticket_id,
        "user_id": user.id,
        "quantity": 1,
        "reserved_ms": entry.reserved_ms,
    }
    outcomes = await asyncio.gather(
        *(seckill.persist_reservation(runtime, **args) for _ in range(5))
    )
    assert sorted(o.value for o in outcomes).count("created") == 1
    await drain(runtime)  # the queued job itself runs too: still one order
    assert await Order.filter(seckill_event_id=event.id).count() == 1
    assert (await SeckillEvent.get(id=event.id)).sold == 1


async def test_deactivated_shopper_gets_failed_ticket_and_unit_back(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    user, other = await shoppers(2)
    event = await sale(1)
    ticket_id = await _buy(runtime, user.id, event.id)
    user.is_active = False
    await user.save()
    await drain(runtime)
    ticket = await SeckillTicket.get(id=ticket_id)
    assert ticket.status is TicketStatus.FAILED and ticket.failure_reason
    assert isinstance(await _buy(runtime, other.id, event.id), str)  # the unit is for sale again
    await drain(runtime)
    assert (await seckill.audit(runtime, event.id)).passed


async def _remaining(runtime: Runtime, event_id: int) -> int:
    return (await store.read_states(runtime.redis, runtime.keys, [event_id]))[event_id].remaining


async def _two_reservations(
    runtime: Runtime,
) -> tuple[list[User], SeckillEvent, list[str], store.LedgerEntry]:
    """Two shoppers' reservations of a 2-unit sale, and the first one's ledger entry."""
    users = await shoppers(2)
    event = await sale(2)
    await seckill.warm_up(runtime, event.id)
    tickets = [await _buy(runtime, u.id, event.id) for u in users]
    ids = [t for t in tickets if isinstance(t, str)]
    assert len(ids) == 2, tickets
    entry = await store.ledger_entry(runtime.redis, runtime.keys, event.id, ids[0])
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
    assert await _remaining(runtime, event.id) == 0

    await drain(runtime)

    assert await _remaining(runtime, event.id) == 1
    assert await SeckillTicket.filter(id=bought_id, status=TicketStatus.SUCCEEDED).exists()
    assert await seckill.reconcile(runtime) == seckill.ReconcileReport()
    assert await _remaining(runtime, event.id) == 1
    report = await seckill.audit(runtime, event.id)
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
    outcome, _ = await seckill._persist_once(  # the dead run's transaction, committed
        runtime, event.id, cut_id, users[0].id, 1, entry.reserved_ms
    )
    assert outcome is seckill.PersistOutcome.CREATED
    assert await store.pending_count(runtime.redis, runtime.keys, event.id) == 2

    pubsub = runtime.redis.pubsub()
    await pubsub.subscribe(runtime.keys.channel(seckill.TICKET_TOPIC, cut_id))
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
    assert await store.pending_count(runtime.redis, runtime.keys, event.id) == 0
    assert await Order.filter(seckill_event_id=event.id).count() == 2
    report = await seckill.audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.pending, report.orders) == (2, 0, 2)


async def test_a_single_persist_whose_order_number_collides_tries_again(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A duplicate order number must not pass for "already persisted" (the ticket would be lost)."""
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await sale(1)
    await seckill.warm_up(runtime, event.id)
    ticket = await _buy(runtime, user.id, event.id)
    assert isinstance(ticket, str)
    taken = orders.new_order_number()
    await Order.create(number=taken, user_id=user.id, total=1, expires_at=event.ends_at)
    real = orders.new_order_number
    calls = {"n": 0}

    def colliding() -> str:
        calls["n"] += 1
        return taken if calls["n"] <= 2 else real()

    monkeypatch.setattr(orders, "new_order_number", colliding)
    entry = await store.ledger_entry(runtime.redis, runtime.keys, event.id, ticket)
    assert entry is not None
    outcome = await seckill.persist_reservation(
        runtime, event_id=event.id, ticket_id=ticket, user_id=user.id, quantity=1,
        reserved_ms=entry.reserved_ms,
    )  # fmt: skip
    assert (outcome, calls["n"]) == (seckill.PersistOutcome.CREATED, 3)
    assert await SeckillTicket.filter(id=ticket, status=TicketStatus.SUCCEEDED).exists()
    report = await seckill.audit(runtime, event.id)
    assert report.passed, report.checks


async def test_expiry_returns_the_unit_for_another_shopper(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    first, second = await shoppers(2)
    event = await sale(1)
    await _buy(runtime, first.id, event.id)
    await drain(runtime)
    assert await _buy(runtime, second.id, event.id) is ErrorCode.SOLD_OUT
    order = await Order.get(seckill_event_id=event.id)
    await Order.filter(id=order.id).update(expires_at=order.created_at - timedelta(seconds=1))
    assert await orders.expire_order(runtime, order.id)
    assert await orders.expire_order(runtime, order.id) is False  # exactly once
    states = await store.read_states(runtime.redis, runtime.keys, [event.id])
    assert states[event.id].remaining == 1 and not states[event.id].sold_out
    assert isinstance(await _buy(runtime, second.id, event.id), str)
    await drain(runtime)
    report = await seckill.audit(runtime, event.id)
    assert report.passed and report.sold == 1 and report.remaining == 0


async def test_payment_racing_expiry_settles_once(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(20)
    event = await sale(20)
    for user in users:
        await _buy(runtime, user.id, event.id)
    await drain(runtime)
    placed = await Order.filter(seckill_event_id=event.id)
    await Order.filter(seckill_event_id=event.id).update(
        expires_at=placed[0].created_at - timedelta(seconds=1)
    )

    async def pay(order_id: int) -> None:
        try:
            await orders.mark_paid(runtime, order_id=order_id)
        except DomainFailure as failure:
            assert failure.errors[0].code is ErrorCode.INVALID_STATE

    await asyncio.gather(
        *(pay(o.id) for o in placed), *(orders.expire_order(runtime, o.id) for o in placed)
    )
    statuses = [o.status for o in await Order.filter(seckill_event_id=event.id)]
    paid = statuses.count(OrderStatus.PAID)
    assert paid + statuses.count(OrderStatus.EXPIRED) == 20
    report = await seckill.audit(runtime, event.id)
    assert report.passed, report.checks
    assert report.sold == paid and report.remaining == 20 - paid


async def test_ended_sale_closes_and_returns_unsold_units(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await sale(10, product_stock=10)
    await _buy(runtime, user.id, event.id)
    await drain(runtime)
    await SeckillEvent.filter(id=event.id).update(ends_at=event.starts_at + timedelta(seconds=1))
    report = await seckill.reconcile(runtime)
    assert report.closed == [event.id]
    assert (await Product.get(id=event.product_id)).stock == 9  # type: ignore[attr-defined]
    order = await Order.get(seckill_event_id=event.id)
    await orders.cancel_order(runtime, user_id=user.id, order_id=order.id)
    assert (await Product.get(id=event.product_id)).stock == 10  # type: ignore[attr-defined]


async def test_persisting_after_redis_forgot_its_scripts_still_settles_the_ledger(
    runtime: Runtime, tmp_path: Path
) -> None:
    """The ledger update rides in a pipeline by SHA; after SCRIPT FLUSH (a restarted Redis) the
    persist job loads the script again instead of leaving the entry pending."""
    async with own_redis_runtime(runtime, tmp_path) as mine:  # ours to flush
        own = mine.redis
        (user,) = await shoppers(1)
        event = await sale(2)
        await seckill.warm_up(mine, event.id)
        ticket_id = await _buy(mine, user.id, event.id)
        assert isinstance(ticket_id, str)
        entry = await store.ledger_entry(own, mine.keys, event.id, ticket_id)
        assert entry is not None
        await own.script_flush()
        outcome = await seckill.persist_reservation(
            mine, event_id=event.id, ticket_id=ticket_id, user_id=user.id, quantity=1,
            reserved_ms=entry.reserved_ms,
        )  # fmt: skip
        assert outcome is seckill.PersistOutcome.CREATED
        settled = await store.ledger_entry(own, mine.keys, event.id, ticket_id)
        assert settled is not None and settled.state == "persisted"
        assert await store.pending_count(own, mine.keys, event.id) == 0
        order = await Order.get(seckill_event_id=event.id, user_id=user.id)
        expiry = await own.zscore(mine.keys.queue, orders.expiry_job_id(mine, order.id))
        assert expiry == int(order.expires_at.timestamp() * 1000)  # type: ignore[union-attr]
