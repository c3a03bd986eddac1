"""The job queue on a Redis of its own (QUEUE_REDIS_URL): the sales stay on REDIS_URL (the
shared test Redis, under the test's prefix), arq's queue moves to a private redis-server.

The reserve script cannot queue the persist job there, so the API queues it right after the
script; when that enqueue is lost, a real worker's cron (`persist_lost_reservations`, at the
production defaults) persists the reservation, exactly once. How long that takes is printed and written
in docs/scaling.md ("A separate queue Redis").
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.exceptions import RedisError

from flashmart.core import embedded_redis
from flashmart.core.queue import create_queue
from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order
from flashmart.seckill.audit import audit
from flashmart.seckill.buy import buy
from flashmart.seckill.models import SeckillTicket
from flashmart.seckill.persist import PersistOutcome, persist_job
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import relaxed, running_worker, shoppers, warm_sale


@pytest.fixture
async def apart(runtime: Runtime, tmp_path: Path) -> AsyncIterator[Runtime]:
    """The test's runtime with the queue on a private redis-server (QUEUE_REDIS_URL)."""
    server = embedded_redis.start(tmp_path / "queue-redis", reuse=False)
    settings = runtime.settings.model_copy(update={"queue_redis_url": server.url})
    try:
        async with Runtime.open(settings) as opened:
            yield relaxed(opened)
    finally:
        server.stop()


async def test_the_buy_queues_its_job_on_the_queue_redis(apart: Runtime) -> None:
    settings = apart.settings
    assert settings.seckill_enqueue_in_script and not settings.enqueues_in_script
    (user,) = await shoppers(1)
    event = await warm_sale(apart, 3)
    ticket = await buy(apart, user_id=user.id, event_id=event.id, quantity=1, client_ip="x")
    queue = apart.keys.queue
    assert await apart.queue.zscore(queue, ticket.id) is not None
    assert await apart.redis.zscore(queue, ticket.id) is None  # nothing of arq's on the sales'
    async with running_worker(apart):
        for _ in range(300):
            if await Order.filter(seckill_event_id=event.id).count():
                break
            await asyncio.sleep(0.05)
    assert await Order.filter(seckill_event_id=event.id, user_id=user.id).count() == 1
    order = await Order.get(seckill_event_id=event.id)
    # The new order's expiry job went to the queue's Redis too.
    expiry = f"{apart.keys.prefix}order-expire:{order.id}"
    assert await apart.queue.zscore(queue, expiry) is not None
    assert await apart.redis.zscore(queue, expiry) is None
    assert (await audit(apart, event.id)).passed


async def _lose_an_enqueue(apart: Runtime, tmp_path: Path, user_id: int, event_id: int) -> str:
    """A buy whose reservation is made and whose enqueue is lost (the queue Redis this API
    process talks to is gone); returns the reservation's ticket id."""
    gone = embedded_redis.start(tmp_path / f"gone-{user_id}", reuse=False)
    broken_queue = await create_queue(apart.settings, gone.url)
    gone.stop()
    try:
        with pytest.raises((OSError, RedisError)):
            await buy(
                dataclasses.replace(apart, queue=broken_queue),
                user_id=user_id, event_id=event_id, quantity=1, client_ip="x",
            )  # fmt: skip
    finally:
        await broken_queue.aclose()
    entries = await SaleStore.of(apart).ledger(event_id)
    (lost,) = [e for e in entries if e.user_id == user_id]
    return lost.ticket_id


async def _written_after(apart: Runtime, event_id: int, ticket_id: str, within: float) -> float:
    """Seconds from the reservation to its ticket row (the order's transaction)."""
    entry = await SaleStore.of(apart).ledger_entry(event_id, ticket_id)
    assert entry is not None
    deadline = time.monotonic() + within
    while not await SeckillTicket.filter(id=ticket_id).exists():
        assert time.monotonic() < deadline, "the reservation was not persisted in time"
        await asyncio.sleep(0.02)
    return time.time() - entry.reserved_ms / 1000


async def test_a_lost_enqueue_is_persisted_exactly_once_within_seconds(
    apart: Runtime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reservation made, enqueue lost. With a real worker at the production defaults:
    alone, the `persist_lost_reservations` cron (every second) writes it within
    SECKILL_LOST_ENQUEUE_AFTER_SECONDS + 1 s; during a sale, the next buy's persist job takes
    it into its batch (claims take the oldest entries nobody holds) within milliseconds."""
    settings = apart.settings
    after = settings.seckill_lost_enqueue_after_seconds
    bound = after + 1.0  # the cron runs every second
    alone, during, other = await shoppers(3)
    event = await warm_sale(apart, 5)
    async with running_worker(apart):  # running already, as in production
        lost = await _lose_an_enqueue(apart, tmp_path, alone.id, event.id)
        assert await SaleStore.of(apart).pending_count(event.id) == 1
        by_reconciler = await _written_after(apart, event.id, lost, bound + 10)
        lost_again = await _lose_an_enqueue(apart, tmp_path, during.id, event.id)
        await buy(apart, user_id=other.id, event_id=event.id, quantity=1, client_ip="x")
        by_next_job = await _written_after(apart, event.id, lost_again, bound + 10)
        await asyncio.sleep(bound + 0.5)  # the cron runs again: nothing is written twice
    with capsys.disabled():
        print(
            f"\nlost enqueue persisted {by_reconciler:.2f} s after the reservation by the "
            f"cron (SECKILL_LOST_ENQUEUE_AFTER_SECONDS {after:g}); "
            f"{by_next_job:.3f} s by the next buy's persist job"
        )
    assert after <= by_reconciler < bound + 1.5
    assert by_next_job < after  # not the reconciler: the other shopper's job
    for user in (alone, during, other):
        assert await Order.filter(seckill_event_id=event.id, user_id=user.id).count() == 1
    assert await SeckillTicket.filter(event_id=event.id).count() == 3
    assert await SaleStore.of(apart).pending_count(event.id) == 0
    report = await audit(apart, event.id)
    assert report.passed and report.sold == report.orders == 3


async def test_a_batch_drops_its_companions_jobs_from_the_queue_redis(apart: Runtime) -> None:
    """The claim cannot put the other tickets' jobs off on another Redis; once the batch is
    settled their jobs leave the queue (they would only answer "already")."""
    users = await shoppers(3)
    event = await warm_sale(apart, 5)
    tickets = [
        await buy(apart, user_id=u.id, event_id=event.id, quantity=1, client_ip="x") for u in users
    ]
    queue = apart.keys.queue
    assert all([await apart.queue.zscore(queue, t.id) is not None for t in tickets])
    (entry,) = [
        e for e in await SaleStore.of(apart).ledger(event.id) if e.ticket_id == tickets[0].id
    ]
    outcome = await persist_job(
        apart, event_id=event.id, ticket_id=entry.ticket_id, user_id=entry.user_id,
        quantity=entry.quantity, reserved_ms=entry.reserved_ms,
    )  # fmt: skip
    assert outcome is PersistOutcome.CREATED
    assert await SeckillTicket.filter(event_id=event.id).count() == 3  # one batch
    assert await apart.queue.zscore(queue, tickets[0].id) is not None  # its own: left alone
    for companion in tickets[1:]:
        assert await apart.queue.zscore(queue, companion.id) is None
