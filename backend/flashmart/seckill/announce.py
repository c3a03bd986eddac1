"""Announce flash-sale changes on Redis pub/sub; subscriptions on every API process listen there.

A ticket's channel tells its shopper to re-read the ticket (persisted, failed); a sale's channel
tells its watchers to reload the sale (edited, closed). Stock changes are not announced: the
buy path stays one script call, and watchers read the stock themselves (`live.py`).
"""

from __future__ import annotations

from redis.asyncio.client import Pipeline

from flashmart.core.keys import Keys
from flashmart.core.runtime import Runtime

TICKET_TOPIC = "seckill-ticket"
EVENT_TOPIC = "seckill-event"


def ticket_channel(keys: Keys, ticket_id: str) -> str:
    return keys.channel(TICKET_TOPIC, ticket_id)


def event_channel(keys: Keys, event_id: int) -> str:
    return keys.channel(EVENT_TOPIC, str(event_id))


def ticket_updated_in(pipe: Pipeline, keys: Keys, ticket_id: str) -> None:
    """`seckillTicketUpdated` for one ticket, sent with the rest of `pipe`."""
    pipe.publish(ticket_channel(keys, ticket_id), ticket_id)


async def publish_event_updated(runtime: Runtime, event_id: int) -> None:
    await runtime.redis.publish(event_channel(runtime.keys, event_id), str(event_id))
