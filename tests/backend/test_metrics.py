"""Business metrics on real Redis, a real database and a real worker: buys by outcome on both
lanes, persisted orders and their lag, reconciler repairs, releases, webhooks, checkouts,
and the scrape-time queue and sale gauges on `/metrics`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from flashmart.core.errors import ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.orders import services as orders
from flashmart.orders.checkout import checkout
from flashmart.orders.models import Order
from flashmart.seckill.reconcile import reconcile
from flashmart.seckill.store import SaleStore
from tests.backend.graphql.test_fastlane import NEEDS_DATABASE, STOREFRONT_BUY
from tests.backend.helpers import Api, token_for
from tests.backend.orders.factories import fill_cart, make_product, make_shoppers
from tests.backend.payments.factories import signed
from tests.backend.seckill.factories import drain, relaxed, shoppers, try_buy, warm_sale


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def buys(outcome: str) -> float:
    return value("flashmart_seckill_buys_total", outcome=outcome)


RELAXED = {
    "seckill_user_rate": 1000.0,
    "seckill_user_burst": 1000,
    "seckill_ip_rate": 1_000_000.0,
    "seckill_ip_burst": 1_000_000,
}


async def test_each_buy_attempt_counts_once_by_outcome_on_both_lanes(
    app_factory: Any, runtime: Runtime
) -> None:
    app = app_factory(**RELAXED)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await _buys_on_both_lanes(app, client, runtime)


async def _buys_on_both_lanes(app: Any, client: httpx.AsyncClient, runtime: Runtime) -> None:
    users = await shoppers(3)
    event = await warm_sale(runtime, 2)
    gid = encode_id("SeckillEvent", event.id)
    before = {o: buys(o) for o in ("ok", "ALREADY_PURCHASED", "SOLD_OUT", "NOT_STARTED")}

    async def send(document: str, user_id: int) -> None:
        response = await client.post(
            "/graphql",
            json={"query": document, "variables": {"eventId": gid, "e": gid}},
            headers={"authorization": f"Bearer {token_for(user_id)}"},
        )
        assert response.status_code == 200, response.text

    lane = app.buy_lane
    answered = lane.answered
    await send(STOREFRONT_BUY, users[0].id)  # the buy lane
    await send(NEEDS_DATABASE, users[0].id)  # generic execution: ALREADY_PURCHASED
    await send(NEEDS_DATABASE, users[1].id)  # the last unit
    assert lane.answered == answered + 1
    await send(STOREFRONT_BUY, users[2].id)  # no unit left
    cold = await warm_sale(runtime, 1, starts_in=timedelta(hours=1))
    assert await try_buy(runtime, users[2].id, cold.id) is ErrorCode.NOT_STARTED
    assert buys("ok") - before["ok"] == 2
    assert buys("ALREADY_PURCHASED") - before["ALREADY_PURCHASED"] == 1
    assert buys("SOLD_OUT") - before["SOLD_OUT"] == 1
    assert buys("NOT_STARTED") - before["NOT_STARTED"] == 1


async def test_persisted_orders_and_their_lag(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(4)
    event = await warm_sale(runtime, 10)
    created = value("flashmart_seckill_orders_persisted_total", outcome="created")
    lags = value("flashmart_seckill_persist_lag_seconds_count")
    lag_sum = value("flashmart_seckill_persist_lag_seconds_sum")
    jobs = value("flashmart_worker_jobs_total", function="persist_reservation", outcome="ok")
    for user in users:
        assert isinstance(await try_buy(runtime, user.id, event.id), str)
    await asyncio.sleep(0.05)  # a lag that shows
    await drain(runtime)
    assert await Order.filter(seckill_event_id=event.id).count() == 4
    assert value("flashmart_seckill_orders_persisted_total", outcome="created") - created == 4
    assert value("flashmart_seckill_persist_lag_seconds_count") - lags == 4
    assert value("flashmart_seckill_persist_lag_seconds_sum") - lag_sum >= 4 * 0.05
    ran = value("flashmart_worker_jobs_total", function="persist_reservation", outcome="ok")
    assert ran > jobs  # batches drop their companions' jobs: at least one ran


async def test_reconciler_repairs_are_counted(runtime: Runtime) -> None:
    runtime = relaxed(runtime, seckill_reconcile_after_seconds=0.01)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 3)
    ticket = await try_buy(runtime, user.id, event.id)
    assert isinstance(ticket, str)
    assert await runtime.queue.zrem(runtime.keys.queue, ticket) == 1  # its job is lost
    repaired = value("flashmart_seckill_reconciler_repairs_total", kind="persisted")
    await asyncio.sleep(0.05)
    assert (await reconcile(runtime)).persisted == 1
    assert value("flashmart_seckill_reconciler_repairs_total", kind="persisted") - repaired == 1
    assert await SaleStore.of(runtime).pending_count(event.id) == 0


async def test_checkouts_and_releases_are_counted(runtime: Runtime) -> None:
    (user,) = await make_shoppers(1)
    product = await make_product(3)
    created = value("flashmart_checkouts_total", outcome="created")
    replayed = value("flashmart_checkouts_total", outcome="replayed")
    empty = value("flashmart_checkouts_total", outcome="CART_EMPTY")
    expired = value("flashmart_order_releases_total", status="EXPIRED")
    await fill_cart(user, product, 2)
    order = await checkout(runtime, user_id=user.id, idempotency_key="k1")
    assert (await checkout(runtime, user_id=user.id, idempotency_key="k1")).id == order.id
    try:
        await checkout(runtime, user_id=user.id, idempotency_key="k2")
    except Exception as exc:  # noqa: BLE001 - the refusal itself is tested elsewhere
        assert getattr(exc, "errors", [None])[0].code is ErrorCode.CART_EMPTY
    assert value("flashmart_checkouts_total", outcome="created") - created == 1
    assert value("flashmart_checkouts_total", outcome="replayed") - replayed == 1
    assert value("flashmart_checkouts_total", outcome="CART_EMPTY") - empty == 1
    await Order.filter(id=order.id).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert await orders.expire_order(runtime, order.id)
    assert not await orders.expire_order(runtime, order.id)  # once
    assert value("flashmart_order_releases_total", status="EXPIRED") - expired == 1


async def test_webhook_results_are_counted(api: Api, runtime: Runtime) -> None:
    bad = value("flashmart_payment_webhooks_total", result="BAD_SIGNATURE")
    unknown = value("flashmart_payment_webhooks_total", result="UNKNOWN_PAYMENT")
    body, headers = signed(runtime.settings, reference="no-such-payment")
    response = await api.http.post("/payments/sandbox/webhook", content=body, headers=headers)
    assert response.status_code == 400
    body, headers = signed(runtime.settings, reference="no-such-payment", secret="w" * 40)
    response = await api.http.post("/payments/sandbox/webhook", content=body, headers=headers)
    assert response.status_code == 400
    assert value("flashmart_payment_webhooks_total", result="UNKNOWN_PAYMENT") - unknown == 1
    assert value("flashmart_payment_webhooks_total", result="BAD_SIGNATURE") - bad == 1


def _gauges(text: str) -> dict[str, float]:
    return {
        sample.name + "".join(f"{{{v}}}" for v in sample.labels.values()): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.startswith(("flashmart_queue", "flashmart_seckill_reservations_pending",
                                   "flashmart_seckill_stock_remaining", "flashmart_redis_pool",
                                   "flashmart_db_pool"))
    }  # fmt: skip


async def test_metrics_reads_the_queue_and_the_sales_at_scrape_time(
    api: Api, runtime: Runtime
) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(3)
    event = await warm_sale(runtime, 7)
    for user in users:
        assert isinstance(await try_buy(runtime, user.id, event.id), str)
    await runtime.queue.zadd(
        runtime.keys.queue, {"later": (datetime.now(UTC).timestamp() + 600) * 1000}
    )
    oldest = int((datetime.now(UTC).timestamp() - 30) * 1000)
    await runtime.queue.zadd(runtime.keys.queue, {"stuck": oldest})
    figures = _gauges((await api.http.get("/metrics")).text)
    assert figures["flashmart_queue_jobs{due}"] == 4  # three persist jobs and the stuck one
    assert figures["flashmart_queue_jobs{deferred}"] == 1
    assert 30 <= figures["flashmart_queue_oldest_due_job_age_seconds"] < 60
    assert figures["flashmart_seckill_reservations_pending"] == 3
    assert figures["flashmart_seckill_stock_remaining"] == 4
    assert figures["flashmart_redis_pool_connections{queue}{in_use}"] >= 0
    if runtime.settings.database_url.startswith("postgres"):
        pool = figures["flashmart_db_pool_connections{in_use}"]
        assert pool + figures["flashmart_db_pool_connections{idle}"] >= 1
    await runtime.queue.zrem(runtime.keys.queue, "later", "stuck")
    await drain(runtime)
    figures = _gauges((await api.http.get("/metrics")).text)
    assert figures["flashmart_queue_jobs{due}"] == 0
    assert figures["flashmart_queue_oldest_due_job_age_seconds"] == 0
    assert figures["flashmart_seckill_reservations_pending"] == 0
