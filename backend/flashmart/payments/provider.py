"""The seam between FlashMart and a payment provider (docs/payments.md).

Order code never talks to a provider: `flashmart.payments.services` calls a `PaymentProvider`
chosen by `PAYMENT_PROVIDER`. A real provider (WeChat Pay, Alipay, Stripe) is one more class
with these four methods plus an entry in `get_provider`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from flashmart.core.settings import Settings
from flashmart.payments.models import PaymentStatus


@dataclass(frozen=True)
class PaymentRequest:
    merchant_reference: str  # our id for the payment; providers take it as idempotency key
    amount: Decimal
    currency: str
    order_number: str
    description: str


@dataclass(frozen=True)
class ProviderPayment:
    reference: str  # the provider's id of the payment, named by its webhooks
    pay_url: str  # where the shopper pays (shown as a link and as a QR code)


@dataclass(frozen=True)
class WebhookNotification:
    """A verified notification: the provider says payment `reference` reached `status`."""

    reference: str
    status: PaymentStatus  # SUCCEEDED or FAILED
    timestamp: datetime  # when the provider signed it (UTC)
    nonce: str  # unique per notification; a redelivery repeats it with the same body


@dataclass(frozen=True)
class RefundRequest:
    reference: str
    amount: Decimal
    currency: str
    idempotency_key: str  # the same key never refunds twice
    reason: str


@dataclass(frozen=True)
class ProviderRefund:
    reference: str


class PaymentProvider(Protocol):
    name: str

    async def create_payment(self, request: PaymentRequest) -> ProviderPayment:
        """Open a payment at the provider; idempotent per `merchant_reference`."""
        ...

    async def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookNotification:
        """Verify the signature over the raw body and parse it; raise `WebhookRejected`.

        Freshness and nonce memory are checked by the caller, for every provider alike.
        """
        ...

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        """Give the whole amount back; raise `ProviderError` when the provider refuses."""
        ...

    async def query_status(self, reference: str) -> PaymentStatus:
        """Ask the provider where a payment stands (used when a webhook may have been lost)."""
        ...


def get_provider(settings: Settings) -> PaymentProvider:
    """The provider selected by `PAYMENT_PROVIDER`."""
    if settings.payment_provider == "sandbox":
        from flashmart.payments.sandbox import SandboxProvider

        return SandboxProvider(settings)
    raise ValueError(f"unknown payment provider {settings.payment_provider!r}")
