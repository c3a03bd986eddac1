"""arq jobs of the order domain: deferred expiry and the periodic sweep behind it."""

from __future__ import annotations

from typing import Any

from flashmart.core.runtime import deps
from flashmart.orders import services


async def expire_order(ctx: dict[str, Any], order_id: int) -> bool:
    """Deferred to the order's `expiresAt`; a no-op when it was paid or cancelled by then."""
    return await services.expire_order(deps(ctx), order_id)


async def expire_overdue_orders(ctx: dict[str, Any]) -> int:
    """Cron: expires what a lost or late deferred job left behind."""
    return await services.expire_overdue(deps(ctx))
