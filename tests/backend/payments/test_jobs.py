"""The sandbox's webhook delivery, run by a real arq worker against a real HTTP server."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.payments import sandbox
from flashmart.payments.models import PaymentStatus
from flashmart.worker import create_worker
from tests.backend.live_server import live_server


class Receiver:
    """A stand-in for FlashMart's webhook endpoint: fails `failures` times, records all."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[tuple[bytes, str]] = []

    def app(self, base_url: str) -> Starlette:
        async def hook(request: Request) -> Response:
            body = await request.body()
            self.received.append((body, request.headers.get(sandbox.SIGNATURE_HEADER, "")))
            if len(self.received) <= self.failures:
                return JSONResponse({"error": "busy"}, status_code=503)
            return JSONResponse({"status": "accepted"})

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


async def _deliver(runtime: Runtime, settings: Settings, receiver: Receiver) -> Any:
    async with live_server(receiver.app) as base_url:
        settings = settings.model_copy(
            update={
                "payment_sandbox_webhook_url": f"{base_url}/hook",
                "payment_webhook_retry_base_seconds": 0.05,
            }
        )
        # arq keeps job results (by job id) for an hour, so every test uses its own reference.
        reference = "sbx_" + secrets.token_hex(16)
        await sandbox.enqueue_webhook(runtime, reference=reference, status=PaymentStatus.SUCCEEDED)
        worker = create_worker(
            settings, settings.redis_url or "", burst=True, manage_database=False
        )
        worker.handle_signals = False
        await asyncio.wait_for(worker.async_run(), timeout=60)
        await worker.close()
        return worker, settings


async def _verified(settings: Settings, body: bytes, signature: str) -> dict[str, Any]:
    note = await sandbox.SandboxProvider(settings).parse_webhook(
        body, {sandbox.SIGNATURE_HEADER: signature}
    )
    assert note.reference.startswith("sbx_") and note.status is PaymentStatus.SUCCEEDED
    data: dict[str, Any] = json.loads(body)
    return data


async def test_retries_resend_the_same_signed_bytes_until_2xx(
    runtime: Runtime, settings: Settings
) -> None:
    receiver = Receiver(failures=2)
    worker, settings = await _deliver(runtime, settings, receiver)
    assert len(receiver.received) == 3
    assert len(set(receiver.received)) == 1  # a redelivery: identical body and signature
    data = await _verified(settings, *receiver.received[0])
    assert set(data) == {"paymentId", "status", "timestamp", "nonce"}
    assert worker.jobs_retried == 2 and worker.jobs_failed == 0


async def test_a_notification_about_to_go_stale_is_replaced_by_a_fresh_one(
    runtime: Runtime, settings: Settings
) -> None:
    # With a 30 s tolerance every retry would be too close to stale: each one is re-signed.
    settings = settings.model_copy(update={"payment_webhook_tolerance_seconds": 30})
    receiver = Receiver(failures=1)
    _, settings = await _deliver(runtime, settings, receiver)
    assert len(receiver.received) == 2
    first, second = [await _verified(settings, *r) for r in receiver.received]
    assert first["nonce"] != second["nonce"]
    assert second["timestamp"] >= first["timestamp"]


async def test_delivery_gives_up_after_the_configured_attempts(
    runtime: Runtime, settings: Settings
) -> None:
    settings = settings.model_copy(update={"payment_webhook_max_tries": 3})
    receiver = Receiver(failures=100)
    worker, _ = await _deliver(runtime, settings, receiver)
    assert len(receiver.received) == 3
    assert worker.jobs_failed == 0  # finished (and logged), not crashed
    assert await runtime.redis.zcard(runtime.keys.queue) == 0
