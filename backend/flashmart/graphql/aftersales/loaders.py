"""Batch loader of the refund requests of a page of orders (one query)."""

from __future__ import annotations

from collections.abc import Sequence

from flashmart.aftersales import services
from flashmart.aftersales.models import RefundRequest


async def load_refund_requests(order_ids: Sequence[int]) -> list[list[RefundRequest]]:
    grouped = await services.requests_by_order(list(order_ids))
    return [grouped[i] for i in order_ids]
