"""Subscription metrics on a real server: open connections, sale subscribers, messages by lane."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import REGISTRY

from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill.buy import buy
from flashmart.seckill.events import warm_up
from tests.backend.seckill.factories import relaxed, sale
from tests.backend.subscriptions.conftest import next_frame, serving_view
from tests.backend.subscriptions.test_event_lane import DOCUMENT, WITH_PRODUCT, _subscribe


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _settles(name: str, expected: float) -> None:
    deadline = time.monotonic() + 30  # a loaded CI machine closes sockets late
    while value(name) != expected:
        assert time.monotonic() < deadline, f"{name} is {value(name)}, not {expected}"
        await asyncio.sleep(0.02)


async def test_connections_subscribers_and_messages_by_lane(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    runtime = relaxed(runtime)
    event = await sale(2)
    await warm_up(runtime, event.id)
    gid = encode_id("SeckillEvent", event.id)
    connections = value("flashmart_ws_connections")
    subscribers = value("flashmart_sale_subscribers")
    live = value("flashmart_subscription_messages_total", lane="live")
    generic = value("flashmart_subscription_messages_total", lane="generic")
    async with serving_view(app_factory, subscription_event_rate=20) as (base_url, _):
        fast = await _subscribe(base_url, DOCUMENT, gid)  # the live-sale lane
        slow = await _subscribe(base_url, WITH_PRODUCT, gid)  # generic execution
        try:
            await next_frame(fast)
            await next_frame(slow)
            assert value("flashmart_ws_connections") == connections + 2
            assert value("flashmart_sale_subscribers") == subscribers + 2
            await buy(runtime, user_id=1, event_id=event.id, quantity=1, client_ip="10.0.0.1")
            await next_frame(fast)
            await next_frame(slow)
            assert value("flashmart_subscription_messages_total", lane="live") == live + 2
            assert value("flashmart_subscription_messages_total", lane="generic") == generic + 2
        finally:
            await fast.close()
            await slow.close()
        await _settles("flashmart_ws_connections", connections)
        await _settles("flashmart_sale_subscribers", subscribers)
