"""Crash window 2: a worker process killed with SIGKILL in the middle of persisting orders."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order
from flashmart.seckill.audit import audit
from flashmart.seckill.buy import buy
from flashmart.seckill.events import warm_up
from flashmart.seckill.models import SeckillTicket
from flashmart.seckill.reconcile import reconcile
from flashmart.seckill.store import SaleStore
from tests.backend.processes import worker_env
from tests.backend.seckill.factories import relaxed, sale, shoppers

UNITS = 400


async def test_killed_worker_leaves_every_order_exactly_once(runtime: Runtime) -> None:
    runtime = relaxed(runtime, seckill_reconcile_after_seconds=0.01)
    settings = runtime.settings
    users = await shoppers(UNITS)
    event = await sale(UNITS)
    await warm_up(runtime, event.id)
    await asyncio.gather(
        *(
            buy(runtime, user_id=u.id, event_id=event.id, quantity=1, client_ip="10.1.1.1")
            for u in users
        )
    )
    assert await SaleStore.of(runtime).pending_count(event.id) == UNITS

    env = worker_env(settings)
    flashmart = Path(sys.executable).parent / "flashmart"
    worker = subprocess.Popen(
        [str(flashmart), "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while (
            await Order.filter(seckill_event_id=event.id).count() < 5
            and time.monotonic() < deadline
        ):
            await asyncio.sleep(0.01)
        worker.send_signal(signal.SIGKILL)  # no chance to finish anything
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    written = await Order.filter(seckill_event_id=event.id).count()
    assert 5 <= written < UNITS, f"the kill should land mid-way, {written} of {UNITS} were written"

    # After the restart the reconciler (a worker cron) persists every reservation still pending,
    # including the jobs the dead worker held; arq's later retries of those find them done.
    await asyncio.sleep(0.05)
    await reconcile(runtime)
    again = await reconcile(runtime)
    assert again.persisted == 0

    assert await Order.filter(seckill_event_id=event.id).count() == UNITS
    assert await SeckillTicket.filter(event_id=event.id).count() == UNITS
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.oversold, report.undersold, report.pending) == (UNITS, 0, 0, 0)
