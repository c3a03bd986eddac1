"""Batch loaders for order relations: lines, history and buyers, one query per page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from flashmart.accounts.models import User
from flashmart.orders.models import OrderEvent, OrderLine


async def load_lines(order_ids: Sequence[int]) -> list[list[OrderLine]]:
    grouped: dict[int, list[OrderLine]] = defaultdict(list)
    for line in await OrderLine.filter(order_id__in=list(order_ids)).order_by("id"):
        grouped[line.order_id].append(line)
    return [grouped[i] for i in order_ids]


async def load_events(order_ids: Sequence[int]) -> list[list[OrderEvent]]:
    grouped: dict[int, list[OrderEvent]] = defaultdict(list)
    for event in await OrderEvent.filter(order_id__in=list(order_ids)).order_by("id"):
        grouped[event.order_id].append(event)
    return [grouped[i] for i in order_ids]


async def load_users(user_ids: Sequence[int]) -> list[User | None]:
    found = {u.id: u for u in await User.filter(id__in=list(user_ids))}
    return [found.get(i) for i in user_ids]
