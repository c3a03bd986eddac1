"""Redis killed and restarted from its files under a running API process: its background loops
(the pub/sub broker, the sale watchers, the multiplexed connection) come back by themselves,
and subscribers hear what changes after the restart. Redis is a private server of the test's."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import redis as sync_redis

from flashmart.core import embedded_redis
from flashmart.core.keys import Keys
from flashmart.core.pubsub import RECONNECTED, Broker
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill.events import warm_up
from tests.backend.helpers import token_for
from tests.backend.payments.factories import placed_order, shopper
from tests.backend.seckill.factories import relaxed, sale
from tests.backend.subscriptions.conftest import Stream, client, gql_over_http, request

pytestmark = pytest.mark.slow

EVENT_UPDATED = "subscription($id: ID!) { seckillEventUpdated(id: $id) { remainingStock } }"
ORDER_UPDATED = "subscription($id: ID!) { orderUpdated(id: $id) { id status } }"
BUY = "mutation($e: ID!) { seckillBuy(eventId: $e) { ticket { id status } userErrors { code } } }"
CANCEL = "mutation($id: ID!) { orderCancel(id: $id) { order { status } userErrors { code } } }"
OUTAGE_SECONDS = 1.5


@pytest.fixture
async def broker(own_redis: embedded_redis.EmbeddedRedis) -> AsyncIterator[Broker]:
    hub = Broker(own_redis.url, control_channel=Keys("fmtest:").channel("broker", "control"))
    await hub.start()
    yield hub
    await hub.stop()


async def test_a_listener_hears_what_is_published_after_redis_restarts(
    own_redis: embedded_redis.EmbeddedRedis, broker: Broker
) -> None:
    channel = "fmtest:restart:channel"
    async with broker.listen(channel) as listener:
        own_redis.kill()
        await asyncio.sleep(OUTAGE_SECONDS)  # the broker's reconnect attempts fail meanwhile
        own_redis.relaunch()
        assert await asyncio.wait_for(listener.get(), 15) == RECONNECTED
        with sync_redis.Redis.from_url(own_redis.url) as publisher:
            assert publisher.publish(channel, b"after the restart") == 1
        assert await asyncio.wait_for(listener.get(), 5) == b"after the restart"


async def test_an_api_process_serves_and_updates_subscribers_after_redis_restarts(
    api_processes: Callable[..., Any], runtime: Runtime, own_redis: embedded_redis.EmbeddedRedis
) -> None:
    settings = relaxed(runtime).settings.model_copy(update={"redis_url": own_redis.url})
    async with Runtime.open(settings) as mine:
        event = await sale(5)
        await warm_up(mine, event.id)
        user = await shopper()
        order = await placed_order(mine, user)
        token = token_for(user.id)
        limits = {"SECKILL_USER_RATE": "1000", "SECKILL_IP_RATE": "100000"}
        async with api_processes(1, REDIS_URL=own_redis.url, **limits) as [url]:
            async with client(url, token) as session:
                stock = Stream(
                    session, request(EVENT_UPDATED, id=encode_id("SeckillEvent", event.id))
                )
                status = Stream(session, request(ORDER_UPDATED, id=encode_id("Order", order.id)))
                await stock.wait_for(
                    lambda item: item["seckillEventUpdated"]["remainingStock"] == 5
                )
                await status.wait_for(
                    lambda item: item["orderUpdated"]["status"] == "PENDING_PAYMENT"
                )

                own_redis.kill()
                await asyncio.sleep(OUTAGE_SECONDS)  # watchers' reads and pub/sub fail meanwhile
                own_redis.relaunch()

                # The buy goes through the process's multiplexed connection ...
                bought = await gql_over_http(url, token, BUY, e=encode_id("SeckillEvent", event.id))
                assert bought["seckillBuy"]["ticket"]["status"] == "QUEUED", bought
                # ... the sale's watcher reads again and tells the subscriber ...
                await stock.wait_for(
                    lambda item: item["seckillEventUpdated"]["remainingStock"] == 4
                )
                # ... and the order's news comes over the re-established pub/sub connection.
                cancelled = await gql_over_http(url, token, CANCEL, id=encode_id("Order", order.id))
                assert cancelled["orderCancel"]["order"]["status"] == "CANCELLED", cancelled
                await status.wait_for(lambda item: item["orderUpdated"]["status"] == "CANCELLED")
                assert stock.error is None and status.error is None
                await stock.close()
                await status.close()
            async with httpx.AsyncClient() as http:
                assert (await http.get(f"{url}/readyz")).json()["checks"]["redis"] == "ok"
