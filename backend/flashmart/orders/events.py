"""Announce order changes on Redis pub/sub; subscriptions on every API process listen there."""

from __future__ import annotations

import json

from redis.asyncio.client import Pipeline

from flashmart.core.keys import Keys
from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order

ORDER_TOPIC = "order"


def _announcement(keys: Keys, order: Order) -> tuple[str, str]:
    message = json.dumps({"id": order.id, "status": order.status.value, "number": order.number})
    return keys.channel(ORDER_TOPIC, str(order.id)), message


async def publish_order_updated(runtime: Runtime, order: Order) -> None:
    await runtime.redis.publish(*_announcement(runtime.keys, order))


def publish_order_updated_in(pipe: Pipeline, keys: Keys, order: Order) -> None:
    """The same announcement, sent with the rest of `pipe`."""
    pipe.publish(*_announcement(keys, order))
