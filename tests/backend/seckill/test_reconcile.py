"""Repair and closing: lost jobs persisted by the reconciler, ended sales closed."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from redis.exceptions import RedisError

from flashmart.catalog.models import Product
from flashmart.core import embedded_redis
from flashmart.core.queue import create_queue
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order
from flashmart.seckill.audit import audit
from flashmart.seckill.buy import buy
from flashmart.seckill.models import SeckillEvent
from flashmart.seckill.reconcile import reconcile
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import (
    drain,
    relaxed,
    shoppers,
    try_buy,
    warm_sale,
)


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
    broken = dataclasses.replace(runtime, queue=broken_queue)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 3)
    with pytest.raises((OSError, RedisError)):
        await buy(broken, user_id=user.id, event_id=event.id, quantity=1, client_ip="x")
    await broken_queue.aclose()
    assert await SaleStore.of(runtime).pending_count(event.id) == 1
    assert await Order.all().count() == 0
    await asyncio.sleep(0.05)
    report = await reconcile(runtime)
    assert report.persisted == 1
    assert await Order.filter(seckill_event_id=event.id, user_id=user.id).count() == 1
    assert (await audit(runtime, event.id)).passed


async def test_ended_sale_closes_and_returns_unsold_units(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 10, product_stock=10)
    await try_buy(runtime, user.id, event.id)
    await drain(runtime)
    await SeckillEvent.filter(id=event.id).update(ends_at=event.starts_at + timedelta(seconds=1))
    report = await reconcile(runtime)
    assert report.closed == [event.id]
    assert (await Product.get(id=event.product_id)).stock == 9  # type: ignore[attr-defined]
    order = await Order.get(seckill_event_id=event.id)
    await orders.cancel_order(runtime, user_id=user.id, order_id=order.id)
    assert (await Product.get(id=event.product_id)).stock == 10  # type: ignore[attr-defined]


async def test_one_broken_sale_does_not_stop_the_others(runtime: Runtime) -> None:
    """The middle sale's stale reservation has a corrupt ledger entry: the reconciler logs and
    lists it, persists the first sale's reservation and closes the last, ended sale."""
    runtime = relaxed(runtime, seckill_reconcile_after_seconds=0.01)
    user, other = await shoppers(2)
    first = await warm_sale(runtime, 3)
    broken = await warm_sale(runtime, 3)
    ending = await warm_sale(runtime, 3, product_stock=3)
    assert isinstance(await try_buy(runtime, user.id, first.id), str)
    assert isinstance(await try_buy(runtime, other.id, broken.id), str)
    keys = runtime.keys
    (ticket_id,) = await runtime.redis.hkeys(keys.event_ledger(broken.id))  # type: ignore[misc]
    await runtime.redis.hset(keys.event_ledger(broken.id), ticket_id, "{not json")  # type: ignore[misc]
    await SeckillEvent.filter(id=ending.id).update(ends_at=ending.starts_at)
    await asyncio.sleep(0.05)
    report = await reconcile(runtime)
    assert report.failed == [broken.id]
    assert report.persisted == 1 and report.closed == [ending.id]
    assert await Order.filter(seckill_event_id=first.id, user_id=user.id).count() == 1
    assert (await Product.get(id=ending.product_id)).stock == 3  # type: ignore[attr-defined]
    assert await SaleStore.of(runtime).pending_count(broken.id) == 1  # tried again next run
