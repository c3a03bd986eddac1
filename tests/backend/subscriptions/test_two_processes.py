"""Fan-out across real API processes: a client on A hears what B and the worker did."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from typing import Any

import pytest
from gql.transport.exceptions import TransportConnectionFailed

from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.orders.events import ORDER_TOPIC
from flashmart.seckill.events import warm_up
from flashmart.worker import create_worker
from tests.backend.helpers import token_for
from tests.backend.payments.factories import placed_order, shopper
from tests.backend.seckill.factories import relaxed, sale
from tests.backend.subscriptions.conftest import Stream, client, gql_over_http, request

pytestmark = pytest.mark.slow

ORDER_UPDATED = "subscription($id: ID!) { orderUpdated(id: $id) { id status } }"
TICKET_UPDATED = (
    "subscription($id: ID!) { seckillTicketUpdated(id: $id) "
    "{ id status quantity order { id status } } }"
)
CANCEL = "mutation($id: ID!) { orderCancel(id: $id) { order { status } userErrors { code } } }"
BUY = "mutation($e: ID!) { seckillBuy(eventId: $e) { ticket { id status } userErrors { code } } }"


async def test_a_mutation_on_b_reaches_subscribers_on_a_through_one_redis_subscription(
    api_processes: Callable[[int], Any], runtime: Runtime
) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    token = token_for(user.id)
    gid = encode_id("Order", order.id)
    async with api_processes(2) as (url_a, url_b):
        async with (
            client(url_a, token) as a1,
            client(url_a, token) as a2,
            client(url_b, token) as b1,
        ):
            streams = [Stream(s, request(ORDER_UPDATED, id=gid)) for s in (a1, a1, a2, b1)]
            for stream in streams:
                await stream.wait_count(1)
                assert stream.received[0]["orderUpdated"]["status"] == "PENDING_PAYMENT"
            # Four subscribers on two processes: each process holds the channel once.
            channel = runtime.keys.channel(ORDER_TOPIC, str(order.id))
            assert dict(await runtime.redis.pubsub_numsub(channel)) == {channel.encode(): 2}

            cancelled = await gql_over_http(url_b, token, CANCEL, id=gid)
            assert cancelled["orderCancel"] == {"order": {"status": "CANCELLED"}, "userErrors": []}
            for stream in streams:
                await stream.wait_for(lambda item: item["orderUpdated"]["status"] == "CANCELLED")
                await stream.close()
        # Every subscriber gone: the process let go of the channel.
        assert dict(await runtime.redis.pubsub_numsub(channel)) == {channel.encode(): 0}


async def test_the_worker_persisting_a_purchase_reaches_a_subscriber_on_a(
    api_processes: Callable[[int], Any], runtime: Runtime
) -> None:
    runtime = relaxed(runtime)
    event = await sale(3)
    await warm_up(runtime, event.id)
    user = await shopper()
    token = token_for(user.id)
    async with api_processes(2) as (url_a, url_b):
        bought = await gql_over_http(url_b, token, BUY, e=encode_id("SeckillEvent", event.id))
        ticket = bought["seckillBuy"]["ticket"]
        assert ticket["status"] == "QUEUED"
        async with client(url_a, token) as session:
            stream = Stream(session, request(TICKET_UPDATED, id=ticket["id"]))
            first = await stream.wait_for(lambda _: True)
            assert first["seckillTicketUpdated"]["status"] == "QUEUED"
            assert first["seckillTicketUpdated"]["order"] is None

            # A real arq worker persists the reservation; it runs until the update arrives
            # (the new order's expiry job is deferred, so a burst worker would wait for it).
            worker = create_worker(
                runtime.settings, runtime.settings.redis_url or "", manage_database=False
            )
            worker.handle_signals = False
            running = asyncio.create_task(worker.async_run())
            try:
                done = await stream.wait_for(
                    lambda item: item["seckillTicketUpdated"]["status"] == "SUCCEEDED"
                )
            finally:
                running.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await running
                await worker.close()
            assert done["seckillTicketUpdated"]["order"]["status"] == "PENDING_PAYMENT"
            await stream.done.wait()  # a final ticket status completes the subscription
            assert stream.error is None


async def test_the_connections_per_user_limit_holds_across_processes(
    api_processes: Callable[..., Any], db: None
) -> None:
    user = await shopper()
    token = token_for(user.id)
    async with api_processes(2, SUBSCRIPTION_MAX_CONNECTIONS_PER_USER="2") as (url_a, url_b):
        async with client(url_a, token), client(url_b, token):
            for url in (url_a, url_b):  # one socket on each process: the user is at 2
                with pytest.raises(TransportConnectionFailed) as caught:
                    async with client(url, token):
                        pass
                assert getattr(getattr(caught.value.__cause__, "rcvd", None), "code", None) == 4403
        async with client(url_b, token), client(url_b, token):  # closing freed both slots
            pass


async def test_a_killed_process_cannot_leak_its_users_connection_slots(
    api_processes: Callable[..., Any], runtime: Runtime
) -> None:
    user = await shopper()
    token = token_for(user.id)
    heartbeat = 0.3
    env = {"SUBSCRIPTION_MAX_CONNECTIONS_PER_USER": "1", "SUBSCRIPTION_HEARTBEAT_SECONDS": "0.3"}
    async with api_processes(2, **env) as urls:
        url_a, url_b = urls
        doomed = client(url_a, token)
        await doomed.connect_async()
        try:
            urls.processes[0].send_signal(signal.SIGKILL)  # no chance to release its slot
            urls.processes[0].wait(timeout=10)
            assert len(await runtime.redis.zrange(runtime.keys.ws_connections(user.id), 0, -1)) == 1
            await asyncio.sleep(heartbeat * 3 + 0.3)  # three missed heartbeats: the entry is dead
            async with client(url_b, token):
                pass
        finally:
            with contextlib.suppress(Exception):
                await doomed.close_async()
