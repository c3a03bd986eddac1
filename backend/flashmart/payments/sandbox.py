"""The built-in sandbox payment provider, behaving like an outside one (docs/payments.md).

Two halves, kept apart as if they ran at different companies:

- `SandboxProvider`, FlashMart's adapter (the `PaymentProvider` interface): opens charges,
  verifies webhooks, refunds, answers status queries.
- The "bank": its own ledger (`SandboxCharge`), the pay page's decision (`decide`) and the
  signed webhook it then POSTs to FlashMart over HTTP (`post_webhook`, run by an arq job with
  retries), exactly as WeChat Pay or Stripe would.

Webhook: JSON body `{"paymentId", "status", "timestamp", "nonce"}` (`timestamp` in Unix
seconds) and header `X-Sandbox-Signature: hex(HMAC-SHA256(raw body, PAYMENT_WEBHOOK_SECRET))`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import httpx

from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.payments.errors import ProviderError, WebhookRejected, WebhookRejection
from flashmart.payments.models import PaymentStatus, SandboxCharge
from flashmart.payments.provider import (
    PaymentRequest,
    ProviderPayment,
    ProviderRefund,
    RefundRequest,
    WebhookNotification,
)

NAME = "sandbox"
MERCHANT_NAME = "FlashMart"
SIGNATURE_HEADER = "X-Sandbox-Signature"
PAY_PATH = "/payments/sandbox/pay/{reference}"
WEBHOOK_PATH = "/payments/sandbox/webhook"
DELIVER_JOB = "deliver_sandbox_webhook"
MAX_WEBHOOK_BYTES = 4096
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,128}")
_REFERENCE = re.compile(r"sbx_[A-Za-z0-9_-]{8,60}")
_HEX_SHA256 = re.compile(rb"[0-9a-f]{64}")
_WEBHOOK_KEYS = {"paymentId", "status", "timestamp", "nonce"}
_REPORTED = {PaymentStatus.SUCCEEDED.value, PaymentStatus.FAILED.value}


# --- the wire format, shared by both halves ------------------------------------------------------
def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(*, reference: str, status: PaymentStatus, timestamp: int, nonce: str) -> bytes:
    """The exact bytes the sandbox signs and sends (the same arguments give the same bytes)."""
    payload = {
        "paymentId": reference,
        "status": status.value,
        "timestamp": timestamp,
        "nonce": nonce,
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def base_url(settings: Settings) -> str:
    return settings.public_base_url.rstrip("/")


def webhook_url(settings: Settings) -> str:
    return settings.payment_sandbox_webhook_url or base_url(settings) + WEBHOOK_PATH


def is_reference(value: str) -> bool:
    return _REFERENCE.fullmatch(value) is not None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


# --- FlashMart's adapter -------------------------------------------------------------------------
class SandboxProvider:
    """`PaymentProvider` for the sandbox. Its ledger is a table in FlashMart's own database."""

    name = NAME

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def pay_url(self, reference: str) -> str:
        return base_url(self.settings) + PAY_PATH.format(reference=reference)

    async def create_payment(self, request: PaymentRequest) -> ProviderPayment:
        charge = await SandboxCharge.get_or_none(merchant_reference=request.merchant_reference)
        if charge is None:
            charge = await SandboxCharge.create(
                reference="sbx_" + secrets.token_urlsafe(24),
                merchant_reference=request.merchant_reference,
                merchant_name=MERCHANT_NAME,
                order_number=request.order_number,
                amount=request.amount,
                currency=request.currency,
            )
        return ProviderPayment(reference=charge.reference, pay_url=self.pay_url(charge.reference))

    async def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookNotification:
        if len(body) > MAX_WEBHOOK_BYTES:
            raise WebhookRejected(WebhookRejection.MALFORMED, "body too large")
        given = (
            (_header(headers, SIGNATURE_HEADER) or "").strip().lower().encode("utf-8", "replace")
        )
        if not _HEX_SHA256.fullmatch(given):
            raise WebhookRejected(WebhookRejection.BAD_SIGNATURE, "missing or malformed signature")
        expected = sign(body, self.settings.payment_webhook_secret).encode()
        # Over the raw bytes, before parsing anything, in constant time.
        if not hmac.compare_digest(expected, given):
            raise WebhookRejected(WebhookRejection.BAD_SIGNATURE, "signature mismatch")
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise WebhookRejected(WebhookRejection.MALFORMED, "not JSON") from exc
        if not isinstance(data, dict) or set(data) != _WEBHOOK_KEYS:
            raise WebhookRejected(WebhookRejection.MALFORMED, "unexpected fields")
        reference, status, stamp, nonce = (
            data[k] for k in ("paymentId", "status", "timestamp", "nonce")
        )
        if (
            not isinstance(reference, str)
            or not isinstance(nonce, str)
            or not _NONCE.fullmatch(nonce)
            or status not in _REPORTED
            or isinstance(stamp, bool)
            or not isinstance(stamp, int)
            or not 0 < stamp < 2**40
        ):
            raise WebhookRejected(WebhookRejection.MALFORMED, "bad field values")
        return WebhookNotification(
            reference=reference,
            status=PaymentStatus(status),
            timestamp=datetime.fromtimestamp(stamp, UTC),
            nonce=nonce,
        )

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        charge = await SandboxCharge.get_or_none(reference=request.reference)
        if charge is None:
            raise ProviderError(f"no sandbox charge {request.reference}")
        if charge.status is PaymentStatus.REFUNDED and charge.refund_key == request.idempotency_key:
            return ProviderRefund(reference=charge.refund_reference or "")  # a retried request
        if request.amount != charge.amount or request.currency != charge.currency:
            raise ProviderError("the sandbox refunds whole charges only")
        refund_reference = "sbx_re_" + secrets.token_urlsafe(18)
        moved = await SandboxCharge.filter(id=charge.id, status=PaymentStatus.SUCCEEDED).update(
            status=PaymentStatus.REFUNDED,
            refund_reference=refund_reference,
            refund_key=request.idempotency_key,
        )
        if not moved:
            raise ProviderError(f"sandbox charge is {charge.status.value}, not SUCCEEDED")
        return ProviderRefund(reference=refund_reference)

    async def query_status(self, reference: str) -> PaymentStatus:
        charge = await SandboxCharge.get_or_none(reference=reference)
        if charge is None:
            raise ProviderError(f"no sandbox charge {reference}")
        return charge.status


# --- the "bank": the shopper's decision and the webhook it sends ---------------------------------
async def find_charge(reference: str) -> SandboxCharge | None:
    if not is_reference(reference):
        return None
    return await SandboxCharge.get_or_none(reference=reference)


async def decide(runtime: Runtime, *, charge: SandboxCharge, approve: bool) -> bool:
    """Approve or decline a pending charge once; the first decision wins and is announced."""
    outcome = PaymentStatus.SUCCEEDED if approve else PaymentStatus.FAILED
    moved = await SandboxCharge.filter(id=charge.id, status=PaymentStatus.PENDING).update(
        status=outcome, decided_at=datetime.now(UTC)
    )
    if moved:
        # If this enqueue is lost, FlashMart's reconciliation asks `query_status` instead.
        await enqueue_webhook(runtime, reference=charge.reference, status=outcome)
    return bool(moved)


async def enqueue_webhook(
    runtime: Runtime,
    *,
    reference: str,
    status: PaymentStatus,
    attempt: int = 1,
    defer_seconds: float = 0,
) -> None:
    """Queue one signed notification (a fresh nonce and timestamp) for delivery."""
    send_at = int(time.time() + defer_seconds)
    await runtime.queue.enqueue_job(
        DELIVER_JOB,
        reference,
        status.value,
        new_nonce(),
        send_at,
        attempt,
        _job_id=f"sandbox-webhook:{reference}:{attempt}",
        _defer_by=timedelta(seconds=defer_seconds) if defer_seconds else None,
    )


async def post_webhook(
    settings: Settings, *, reference: str, status: PaymentStatus, nonce: str, timestamp: int
) -> int:
    """POST one notification to FlashMart; returns the HTTP status (raises `httpx.HTTPError`)."""
    body = webhook_body(reference=reference, status=status, timestamp=timestamp, nonce=nonce)
    headers = {
        "content-type": "application/json",
        SIGNATURE_HEADER: sign(body, settings.payment_webhook_secret),
        "user-agent": "FlashMart-Sandbox-Webhooks/1",
    }
    async with httpx.AsyncClient(
        timeout=settings.payment_webhook_timeout_seconds, follow_redirects=False
    ) as client:
        response = await client.post(webhook_url(settings), content=body, headers=headers)
    return response.status_code


def retry_delay(settings: Settings, attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): doubling, capped."""
    base = settings.payment_webhook_retry_base_seconds
    return float(min(base * 2 ** (attempt - 1), settings.payment_webhook_retry_max_seconds))


# --- the pay page's anti-forgery token -----------------------------------------------------------
FORM_COOKIE = "fm_sandbox_csrf"


def new_form_secret() -> str:
    return secrets.token_urlsafe(32)


def form_token(settings: Settings, *, reference: str, cookie: str) -> str:
    """Double-submit token: the form field must be this HMAC of the browser's cookie."""
    message = f"sandbox-pay-form\x00{reference}\x00{cookie}".encode()
    return hmac.new(settings.payment_webhook_secret.encode(), message, hashlib.sha256).hexdigest()


def form_token_valid(settings: Settings, *, reference: str, cookie: str, token: str) -> bool:
    if not cookie or not token:
        return False
    expected = form_token(settings, reference=reference, cookie=cookie)
    return hmac.compare_digest(expected.encode(), token.encode("utf-8", "replace"))
