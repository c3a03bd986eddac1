"""Persisting reservations in batches: claims, one transaction per batch, exact counts."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from pathlib import Path

import pytest

from flashmart.accounts.models import User
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from flashmart.seckill import store
from flashmart.seckill.audit import audit
from flashmart.seckill.buy import buy
from flashmart.seckill.events import warm_up
from flashmart.seckill.models import SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.persist import (
    INACTIVE_REASON,
    PersistOutcome,
    persist_batch,
    persist_reservation,
)
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import (
    drain,
    eventually,
    job_done,
    job_result,
    own_redis_runtime,
    relaxed,
    running_worker,
    sale,
    shoppers,
)

Outcome = PersistOutcome


async def _reserved_sale(
    runtime: Runtime, units: int
) -> tuple[list[User], SeckillEvent, list[str]]:
    """A warm sale of `units` units and as many shoppers, each holding one reservation."""
    users = await shoppers(units)
    event = await sale(units)
    await warm_up(runtime, event.id)
    tickets = await asyncio.gather(
        *(
            buy(runtime, user_id=u.id, event_id=event.id, quantity=1, client_ip="10.2.0.1")
            for u in users
        )
    )
    return users, event, [t.id for t in tickets]


async def _entries(runtime: Runtime, event_id: int, tickets: list[str]) -> list[store.LedgerEntry]:
    """The ledger entries of `tickets`, in their order."""
    found = {e.ticket_id: e for e in await SaleStore.of(runtime).ledger(event_id)}
    return [found[t] for t in tickets]


async def _remaining(runtime: Runtime, event_id: int) -> int:
    return (await SaleStore.of(runtime).read_states([event_id]))[event_id].remaining


async def test_300_concurrent_reservations_are_written_in_batches(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    assert runtime.settings.seckill_persist_batch == 50  # the default
    _, event, tickets = await _reserved_sale(runtime, 300)
    assert await SaleStore.of(runtime).pending_count(event.id) == 300

    ran = await drain(runtime)  # a real worker, max_jobs 50: asserts no job failed

    assert await Order.filter(seckill_event_id=event.id).count() == 300
    assert await OrderLine.filter(order__seckill_event_id=event.id).count() == 300
    assert (
        await OrderEvent.filter(
            order__seckill_event_id=event.id, to_status=OrderStatus.PENDING_PAYMENT
        ).count()
        == 300
    )
    succeeded = SeckillTicket.filter(event_id=event.id, status=TicketStatus.SUCCEEDED)
    assert await succeeded.count() == 300
    assert await succeeded.filter(order_id__isnull=True).count() == 0
    assert (await SeckillEvent.get(id=event.id)).sold == 300
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.oversold, report.undersold, report.pending, report.remaining) == (
        300, 0, 0, 0, 0,
    )  # fmt: skip
    # Every new order has its expiry job, each exactly once.
    order_ids = await Order.filter(seckill_event_id=event.id).values_list("id", flat=True)
    expiries = [orders.expiry_job_id(runtime, oid) for oid in order_ids]  # type: ignore[arg-type]
    scores = await runtime.redis.zmscore(runtime.keys.queue, expiries)
    assert None not in scores

    # Batching: a job that wrote a batch answers "created" for its own ticket; the other tickets
    # of its batch were written in the same transaction, so their jobs never had to run (they
    # left the queue) or answered "already".
    results = Counter([await job_result(runtime, t) for t in tickets])
    batches = results["created"]
    assert 6 <= batches <= 30, results  # 300 orders in at most 30 transactions (50 at most each)
    assert set(results) <= {"created", "already", None}
    assert ran < 150, f"{ran} jobs ran for 300 orders"
    assert await runtime.redis.hlen(runtime.keys.event_claims(event.id)) == 0


async def test_batch_with_a_persisted_ticket_and_an_inactive_shopper(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users, event, tickets = await _reserved_sale(runtime, 6)
    batch = await _entries(runtime, event.id, tickets)
    done, inactive = tickets[0], tickets[1]
    assert await persist_reservation(
        runtime, event_id=event.id, ticket_id=done, user_id=users[0].id, quantity=1,
        reserved_ms=batch[0].reserved_ms,
    ) is Outcome.CREATED  # fmt: skip
    await User.filter(id=users[1].id).update(is_active=False)

    outcomes = await persist_batch(runtime, event_id=event.id, entries=batch)

    assert outcomes == {
        done: Outcome.ALREADY,
        inactive: Outcome.FAILED,
        **{t: Outcome.CREATED for t in tickets[2:]},
    }
    assert await Order.filter(seckill_event_id=event.id).count() == 5
    assert await Order.filter(seckill_event_id=event.id, user_id=users[0].id).count() == 1
    failed = await SeckillTicket.get(id=inactive)
    assert failed.status is TicketStatus.FAILED and failed.order_id is None  # type: ignore[attr-defined]
    assert failed.failure_reason == INACTIVE_REASON
    assert await _remaining(runtime, event.id) == 1  # the inactive shopper's unit is back
    assert users[1].id not in await SaleStore.of(runtime).buyers(event.id)
    assert (await SeckillEvent.get(id=event.id)).sold == 5

    # The same batch again (a retried job, the reconciler): nothing new, the unit back once.
    again = await persist_batch(runtime, event_id=event.id, entries=batch)
    assert set(again.values()) == {Outcome.ALREADY}
    assert await _remaining(runtime, event.id) == 1
    assert await Order.filter(seckill_event_id=event.id).count() == 5
    states = {e.ticket_id: e.state for e in await SaleStore.of(runtime).ledger(event.id)}
    assert states == {
        **{t: "persisted" for t in tickets if t != inactive},
        inactive: "released",
    }
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.remaining, report.pending, report.tickets_failed) == (5, 1, 0, 1)
    await drain(runtime)  # the jobs left nothing to do
    assert await Order.filter(seckill_event_id=event.id).count() == 5


async def test_a_job_whose_ticket_another_claim_holds_retries_and_answers_already(
    runtime: Runtime,
) -> None:
    runtime = relaxed(runtime, seckill_reconcile_after_seconds=1.0)  # claims live 1 s
    _, event, (ticket,) = await _reserved_sale(runtime, 1)
    # Another worker claimed the ticket after this job had started (its job stays due).
    other = await SaleStore.of(runtime).claim(event_id=event.id, ticket_id=None, batch=50,
        lifetime_ms=1000, token="other-worker",
    )  # fmt: skip
    assert [e.ticket_id for e in other.entries] == [ticket]

    async with running_worker(runtime) as worker:

        async def sent_back() -> bool:
            return worker.jobs_retried == 1

        await eventually(sent_back)
        assert await Order.filter(seckill_event_id=event.id).count() == 0
        # The claimer writes the ticket; the job, run again, finds it settled.
        outcomes = await persist_batch(runtime, event_id=event.id, entries=other.entries)
        assert outcomes == {ticket: Outcome.CREATED}

        async def finished() -> bool:
            return await job_result(runtime, ticket) is not None

        await eventually(finished)
        assert worker.jobs_failed == 0
    assert await job_result(runtime, ticket) == "already"
    assert await Order.filter(seckill_event_id=event.id).count() == 1
    assert (await audit(runtime, event.id)).passed


@pytest.mark.parametrize("deferred", [True, False])
async def test_a_dead_claimers_ticket_is_persisted_by_its_own_job(
    runtime: Runtime, deferred: bool
) -> None:
    """The claimer died before writing. With the queue on this Redis its claim put the job off
    until the claim lapsed; otherwise the job found the ticket held and came back later."""
    runtime = relaxed(runtime, seckill_reconcile_after_seconds=1.0)
    _, event, tickets = await _reserved_sale(runtime, 3)
    claimed_at = time.monotonic()
    dead = await SaleStore.of(runtime).claim(event_id=event.id, ticket_id=None, batch=50,
        lifetime_ms=1000, token="dead-worker", defer_jobs=deferred,
    )  # fmt: skip
    assert len(dead.entries) == 3  # and then nothing: the worker holding them was killed

    async with running_worker(runtime) as worker:

        async def persisted() -> bool:
            return await SaleStore.of(runtime).pending_count(event.id) == 0

        await eventually(persisted)
        assert time.monotonic() - claimed_at >= 0.9  # not before the claim lapsed
        assert worker.jobs_failed == 0
        # Put off, the jobs start only once the claim lapsed (one of them then claims all three,
        # and a job started beside it may find its ticket held); not put off, all three started
        # at once and found their tickets held.
        assert worker.jobs_retried <= 2 if deferred else worker.jobs_retried >= 3

        async def all_done() -> bool:
            return all([await job_done(runtime, t) for t in tickets])

        await eventually(all_done)
        # The job that claimed the lapsed tickets answers "created" and drops the jobs of the
        # others it wrote from the queue; a job that ran after the write answers "already". The
        # worker's reconciler may have claimed them all first, and then dropped every job.
        answers = {await job_result(runtime, t) for t in tickets}
        assert answers <= {"created", "already", None}, answers
    assert await Order.filter(seckill_event_id=event.id).count() == 3
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.pending) == (3, 0)


async def test_racing_writers_of_the_same_reservations_make_one_order_each(
    runtime: Runtime, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> None:
    """Two batches over the same entries and a single-path run of one of them, at once."""
    runtime = relaxed(runtime)
    _, event, tickets = await _reserved_sale(runtime, 20)
    batch = await _entries(runtime, event.id, tickets)
    lone = batch[7]

    with caplog.at_level(logging.INFO, logger="flashmart.seckill.persist"):
        first, second, single = await asyncio.gather(
            persist_batch(runtime, event_id=event.id, entries=batch),
            persist_batch(runtime, event_id=event.id, entries=list(reversed(batch))),
            persist_reservation(
                runtime, event_id=event.id, ticket_id=lone.ticket_id, user_id=lone.user_id,
                quantity=1, reserved_ms=lone.reserved_ms,
            ),
        )  # fmt: skip

    for ticket in tickets:
        answers = [first[ticket], second[ticket]] + ([single] if ticket == lone.ticket_id else [])
        assert sorted(answers).count(Outcome.CREATED) == 1, (ticket, answers)
        assert set(answers) <= {Outcome.CREATED, Outcome.ALREADY}
    assert await Order.filter(seckill_event_id=event.id).count() == 20
    assert await SeckillTicket.filter(event_id=event.id).count() == 20
    assert (await SeckillEvent.get(id=event.id)).sold == 20
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    if request.config.getoption("--db") == "postgres":
        # Concurrent transactions: a loser met the winner's tickets and took the single path.
        # (SQLite runs one transaction at a time per process: the later batch sees them first.)
        assert any("conflicted" in r.getMessage() for r in caplog.records)


async def test_an_order_number_collision_falls_back_to_the_single_path(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's first order gets a number another order already has: the batch rolls back
    and each entry takes the single path; nothing is lost or doubled."""
    runtime = relaxed(runtime)
    _, event, tickets = await _reserved_sale(runtime, 11)
    first, *others = await _entries(runtime, event.id, tickets)
    await persist_reservation(
        runtime, event_id=event.id, ticket_id=first.ticket_id, user_id=first.user_id,
        quantity=1, reserved_ms=first.reserved_ms,
    )  # fmt: skip
    taken = (await Order.get(seckill_event_id=event.id)).number
    real = orders.new_order_number
    calls = {"n": 0}

    def colliding() -> str:
        calls["n"] += 1
        return taken if calls["n"] == 1 else real()

    monkeypatch.setattr(orders, "new_order_number", colliding)
    outcomes = await persist_batch(runtime, event_id=event.id, entries=others)
    assert calls["n"] > 10  # the batch's numbers, then the single path's
    assert outcomes == {t: Outcome.CREATED for t in tickets[1:]}
    assert await Order.filter(seckill_event_id=event.id).count() == 11
    assert len(set(await Order.all().values_list("number", flat=True))) == 11
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.pending) == (11, 0)


async def test_a_batch_after_redis_forgot_its_scripts_still_settles_the_ledger(
    runtime: Runtime, tmp_path: Path
) -> None:
    """The batch's settle rides in a pipeline by SHA; after SCRIPT FLUSH (a restarted Redis) it
    loads the script again instead of leaving the entries pending."""
    async with own_redis_runtime(runtime, tmp_path) as mine:  # ours to flush
        own = mine.redis
        _, event, tickets = await _reserved_sale(mine, 4)
        claim = await SaleStore(own, mine.keys).claim(event_id=event.id, ticket_id=tickets[0], batch=50,
            lifetime_ms=60_000, token="t", defer_jobs=True,
        )  # fmt: skip
        await own.script_flush()
        outcomes = await persist_batch(
            mine, event_id=event.id, entries=claim.entries, own_ticket=tickets[0]
        )
        assert outcomes == {t: Outcome.CREATED for t in tickets}
        states = {e.ticket_id: e.state for e in await SaleStore(own, mine.keys).ledger(event.id)}
        assert states == {t: "persisted" for t in tickets}
        assert await SaleStore(own, mine.keys).pending_count(event.id) == 0
        assert await own.hlen(mine.keys.event_claims(event.id)) == 0
        for order in await Order.filter(seckill_event_id=event.id):
            expiry = await own.zscore(mine.keys.queue, orders.expiry_job_id(mine, order.id))
            assert expiry == int(order.expires_at.timestamp() * 1000)  # type: ignore[union-attr]
