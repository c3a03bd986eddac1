"""Batch loader for an order's payments, one query per page of orders."""

from __future__ import annotations

from collections.abc import Sequence

from flashmart.payments import services
from flashmart.payments.models import Payment


async def load_payments(order_ids: Sequence[int]) -> list[list[Payment]]:
    grouped = await services.payments_by_order(order_ids)
    return [grouped.get(i, []) for i in order_ids]
