"""arq jobs of the payments domain: the sandbox's webhook delivery and reconciliation."""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
from arq import Retry, func

from flashmart.core.runtime import deps
from flashmart.payments import sandbox, services
from flashmart.payments.models import PaymentStatus

logger = logging.getLogger(__name__)

# arq's own cap; `PAYMENT_WEBHOOK_MAX_TRIES` (counted across fresh notifications) stops first.
ARQ_MAX_TRIES = 1000
# Send a fresh notification (new nonce and timestamp) rather than one this close to going stale.
FRESHNESS_MARGIN_SECONDS = 30


async def deliver_sandbox_webhook(
    ctx: dict[str, Any], reference: str, status: str, nonce: str, timestamp: int, attempt: int = 1
) -> int | None:
    """The sandbox provider POSTs one signed notification until FlashMart answers 2xx.

    Retries resend the very same bytes (a redelivery FlashMart recognises by its nonce) with
    doubling delays. Before a retry would carry a stale timestamp, a fresh notification
    replaces it. Returns the last HTTP status (None when the app was unreachable).
    """
    d = deps(ctx)
    settings = d.settings
    outcome = PaymentStatus(status)
    tried = attempt + int(ctx.get("job_try", 1)) - 1  # counted over every notification
    code: int | None = None
    try:
        code = await sandbox.post_webhook(
            settings, reference=reference, status=outcome, nonce=nonce, timestamp=timestamp
        )
    except httpx.HTTPError as exc:
        logger.warning("sandbox webhook attempt %d failed: %r", tried, exc)
    if code is not None and 200 <= code < 300:
        return code
    if tried >= settings.payment_webhook_max_tries:
        logger.error(
            "sandbox webhook for %s given up after %d attempts (last status %s)",
            reference,
            tried,
            code,
        )
        return code
    delay = sandbox.retry_delay(settings, tried)
    stale_at = timestamp + settings.payment_webhook_tolerance_seconds - FRESHNESS_MARGIN_SECONDS
    if time.time() + delay >= stale_at:
        await sandbox.enqueue_webhook(
            d, reference=reference, status=outcome, attempt=tried + 1, defer_seconds=delay
        )
        return code
    raise Retry(defer=delay)


async def reconcile_payments(ctx: dict[str, Any]) -> int:
    """Cron: settle pending payments whose webhook never arrived, by asking the provider."""
    return await services.reconcile_pending(deps(ctx))


# As registered with the worker: retries are counted by the job itself, not by arq.
deliver_sandbox_webhook_function = func(
    deliver_sandbox_webhook, name=sandbox.DELIVER_JOB, max_tries=ARQ_MAX_TRIES
)
