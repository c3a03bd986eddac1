"""Re-warming a sale whose Redis keys were lost: reservations in flight keep their units and
their shoppers' per-user counts, released tickets are not given back twice, shoppers never warm."""

from __future__ import annotations

import time

from flashmart.core.errors import ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order
from flashmart.seckill.audit import audit
from flashmart.seckill.events import sale_window, ticket_snapshot, warm_up
from flashmart.seckill.models import SeckillEvent
from flashmart.seckill.persist import write
from flashmart.seckill.reconcile import reconcile
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import (
    drain,
    eventually,
    relaxed,
    remaining,
    running_worker,
    sale,
    shoppers,
    try_buy,
)


async def _lose(runtime: Runtime, event_id: int, *parts: str) -> None:
    """Redis lost these keys of the sale (expired, evicted, a partial restore)."""
    keys = runtime.keys
    names = {
        "meta": keys.event_meta(event_id),
        "stock": keys.event_stock(event_id),
        "buyers": keys.event_buyers(event_id),
        "ledger": keys.event_ledger(event_id),
        "pending": keys.event_pending(event_id),
    }
    await runtime.redis.delete(*(names[p] for p in parts))


async def _sell_out(runtime: Runtime, event_id: int, users: list[int]) -> int:
    """Every shopper tries once; returns how many got a ticket."""
    return sum([isinstance(await try_buy(runtime, u, event_id), str) for u in users])


async def test_rewarm_counts_reservations_in_flight_and_per_user_units(
    runtime: Runtime,
) -> None:
    runtime = relaxed(runtime)
    users = [u.id for u in await shoppers(20)]
    event = await sale(10)
    await warm_up(runtime, event.id)
    for user in users[:3]:
        await try_buy(runtime, user, event.id)
    await drain(runtime)  # 3 persisted
    cancelled = await Order.get(seckill_event_id=event.id, user_id=users[0])
    await orders.cancel_order(runtime, user_id=users[0], order_id=cancelled.id)  # 1 back
    in_flight = [await try_buy(runtime, u, event.id) for u in users[3:5]]  # not persisted yet
    assert all(isinstance(t, str) for t in in_flight)
    assert await remaining(runtime, event.id) == 10 - 2 - 2

    await _lose(runtime, event.id, "meta", "stock", "buyers")
    assert await try_buy(runtime, users[3], event.id) is ErrorCode.NOT_STARTED
    await warm_up(runtime, event.id)
    assert await remaining(runtime, event.id) == 6  # not 10 - sold (8): 2 are in flight
    buyers = await SaleStore.of(runtime).buyers(event.id)
    assert buyers == {users[1]: 1, users[2]: 1, users[3]: 1, users[4]: 1}
    for user in users[1:5]:  # persisted and in-flight shoppers alike are at their limit
        assert await try_buy(runtime, user, event.id) is ErrorCode.ALREADY_PURCHASED
    assert await reconcile(runtime) is not None  # repeats releases: none may add a unit
    assert await remaining(runtime, event.id) == 6
    assert await _sell_out(runtime, event.id, users[5:]) == 6
    await drain(runtime)
    assert (await SeckillEvent.get(id=event.id)).sold == 10
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert report.oversold == 0 and report.remaining == 0


async def test_rewarm_after_the_whole_sale_left_redis_gives_no_release_twice(
    runtime: Runtime,
) -> None:
    """Every key gone: the database is the truth; a cancelled order's unit is counted once,
    although the reconciler repeats its release into the fresh ledger."""
    runtime = relaxed(runtime)
    users = [u.id for u in await shoppers(12)]
    event = await sale(5)
    await warm_up(runtime, event.id)
    for user in users[:3]:
        await try_buy(runtime, user, event.id)
    await drain(runtime)
    order = await Order.get(seckill_event_id=event.id, user_id=users[0])
    await orders.cancel_order(runtime, user_id=users[0], order_id=order.id)
    await _lose(runtime, event.id, "meta", "stock", "buyers", "ledger", "pending")
    await warm_up(runtime, event.id)
    assert await remaining(runtime, event.id) == 3
    report = await reconcile(runtime)
    assert report.released == 0
    assert await remaining(runtime, event.id) == 3
    assert await _sell_out(runtime, event.id, users[3:]) == 3
    await drain(runtime)
    assert (await SeckillEvent.get(id=event.id)).sold == 5


async def test_persist_between_snapshot_and_load_is_counted_once(runtime: Runtime) -> None:
    """The two interleavings of a persist with a re-warm's database read and Redis load:
    committed before the read but settled after the load, and committed and settled between
    them. Each reservation is counted exactly once either way."""
    runtime = relaxed(runtime)
    users = [u.id for u in await shoppers(3)]
    event = await sale(3)
    await warm_up(runtime, event.id)
    first, second = [await try_buy(runtime, u, event.id) for u in users[:2]]
    assert isinstance(first, str) and isinstance(second, str)
    sales = SaleStore.of(runtime)
    entries = {e.ticket_id: e for e in await sales.ledger(event.id)}
    await _lose(runtime, event.id, "meta", "stock", "buyers")

    await write(runtime, event.id, [entries[first]])  # committed, ledger still 'reserved'
    before = await ticket_snapshot(event.id)  # ... the re-warm reads the database here
    await write(runtime, event.id, [entries[second]])  # committed after the read ...
    await sales.settle(event_id=event.id, states={second: "persisted"})  # ... settled before
    loaded = await sales.load(**sale_window(event), snapshot=before)
    assert loaded is not None and loaded.remaining == 1 and loaded.in_flight == 1
    assert await sales.buyers(event.id) == {users[0]: 1, users[1]: 1}
    await sales.settle(event_id=event.id, states={first: "persisted"})
    assert await _sell_out(runtime, event.id, users) == 1
    await drain(runtime)
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert report.sold == 3 and report.remaining == 0


async def test_a_shoppers_buy_never_warms_a_sale(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await sale(5)
    assert await try_buy(runtime, user.id, event.id) is ErrorCode.NOT_STARTED
    sales = SaleStore.of(runtime)
    assert not await sales.is_warm(event.id)
    assert await sales.warm_event_ids() == []
    prefix = runtime.keys.event_meta(event.id).removesuffix(":meta")
    assert [k async for k in runtime.redis.scan_iter(match=f"{prefix}*")] == []
    await warm_up(runtime, event.id)  # an administrator (or the cron) warms it
    assert isinstance(await try_buy(runtime, user.id, event.id), str)


async def test_the_worker_warms_a_live_sale_again_within_its_interval(runtime: Runtime) -> None:
    """Shoppers cannot warm, so the cron must: a live sale whose keys vanished is buyable again
    within SECKILL_WARMUP_INTERVAL_SECONDS, with its reservation (persisted or in flight) counted."""
    runtime = relaxed(runtime, seckill_warmup_interval_seconds=1)
    first, second, third = (u.id for u in await shoppers(3))
    event = await sale(2)
    sales = SaleStore.of(runtime)
    async with running_worker(runtime):
        await eventually(lambda: sales.is_warm(event.id), within=10)  # at start-up
        assert isinstance(await try_buy(runtime, first, event.id), str)
        await _lose(runtime, event.id, "meta", "stock", "buyers")
        lost_at = time.monotonic()
        await eventually(lambda: sales.is_warm(event.id), within=5)
        assert time.monotonic() - lost_at < 2.5
        assert await sales.buyers(event.id) == {first: 1}
        assert await try_buy(runtime, first, event.id) is ErrorCode.ALREADY_PURCHASED
        assert isinstance(await try_buy(runtime, second, event.id), str)
        assert await try_buy(runtime, third, event.id) is ErrorCode.SOLD_OUT
