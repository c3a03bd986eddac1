"""A real `flashmart worker` process serves its own metrics on WORKER_METRICS_PORT: the orders
it persisted, the lag, its jobs, and the queue read at scrape time."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.orders.models import Order
from flashmart.seckill.store import SaleStore
from flashmart.worker import worker_options
from tests.backend.live_server import bind_free_port
from tests.backend.processes import worker_env
from tests.backend.seckill.factories import relaxed, shoppers, try_buy, warm_sale


def _samples(text: str) -> dict[str, float]:
    return {
        sample.name + "".join(f"{{{v}}}" for v in sample.labels.values()): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def _scrape(url: str, *, within: float = 30) -> httpx.Response:
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            try:
                return await client.get(url)
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)


async def test_a_worker_process_serves_its_metrics(runtime: Runtime, settings: Settings) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(3)
    event = await warm_sale(runtime, 5)
    for user in users:
        assert isinstance(await try_buy(runtime, user.id, event.id), str)
    with bind_free_port() as sock:
        port = sock.getsockname()[1]
    # One job at a time: the first job's batch writes all three tickets and drops the other two
    # jobs from the queue. With jobs side by side, one could find its ticket held by that batch
    # and wait in the queue, deferred, until the claim lapses (persist.ClaimHeld).
    env = worker_env(settings, WORKER_METRICS_PORT=str(port), WORKER_NICE="0", WORKER_MAX_JOBS="1")
    flashmart = Path(sys.executable).parent / "flashmart"
    worker = subprocess.Popen(
        [str(flashmart), "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        sales = SaleStore.of(runtime)
        while (
            await Order.filter(seckill_event_id=event.id).count() < 3
            or await sales.pending_count(event.id) > 0  # settled after the commit
        ):
            assert time.monotonic() < deadline, "the worker persisted nothing"
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            await asyncio.sleep(0.05)
        response = await _scrape(f"{base}/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        figures = _samples(response.text)
        assert figures["flashmart_seckill_orders_persisted_total{created}"] == 3
        assert figures["flashmart_seckill_persist_lag_seconds_count"] == 3
        assert figures["flashmart_worker_jobs_total{persist_reservation}{ok}"] == 1
        # The new orders' expiry jobs, and any cron job arq has put in the queue for its next
        # run a moment ahead (each cron at most once).
        crons = len(worker_options(settings, settings.redis_url or "")["cron_jobs"])
        assert 3 <= figures["flashmart_queue_jobs{deferred}"] <= 3 + crons
        assert figures["flashmart_seckill_reservations_pending"] == 0
        assert figures["flashmart_seckill_stock_remaining"] == 2
        assert (await _scrape(f"{base}/")).status_code == 404
        async with httpx.AsyncClient() as client:
            assert (await client.post(f"{base}/metrics")).status_code == 405
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
