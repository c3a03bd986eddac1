"""Announce order changes on Redis pub/sub; subscriptions on every API process listen there."""

from __future__ import annotations

import json

from flashmart.core.runtime import Runtime
from flashmart.orders.models import Order

ORDER_TOPIC = "order"


async def publish_order_updated(runtime: Runtime, order: Order) -> None:
    message = json.dumps({"id": order.id, "status": order.status.value, "number": order.number})
    await runtime.redis.publish(runtime.keys.channel(ORDER_TOPIC, str(order.id)), message)
