"""Payments: open one for an order, settle it from the provider's word, give money back.

Order status changes go through `flashmart.orders.services` (the state machine lives there).
Every settlement runs in one transaction that first locks the order row, so a payment and an
expiry racing for the same order are decided one after the other: either the order becomes
PAID, or the payment is recorded and refunded at once. Money is never kept for an order we
did not sell. Provider calls made inside a transaction (refunds) carry an idempotency key, so
a rolled-back attempt that is retried never pays out twice.

While tracing is on, opening a payment is the span `payment.create` and a webhook the span
`payment.webhook`, which links to the spans of the order's checkout and of the payment's
opening (remembered in Redis, core/tracing.py); docs/observability.md shows the tree.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from opentelemetry.trace import Span
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from flashmart.addresses.services import Destination
from flashmart.core import tracing
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.orders import services as orders
from flashmart.orders import shipping
from flashmart.orders.events import publish_order_updated
from flashmart.orders.models import Order, OrderStatus
from flashmart.payments.errors import ProviderError, WebhookRejected, WebhookRejection
from flashmart.payments.models import Payment, PaymentStatus, PaymentWebhook, Refund
from flashmart.payments.provider import PaymentProvider, PaymentRequest, RefundRequest, get_provider

logger = logging.getLogger(__name__)

RECONCILE_WINDOW = timedelta(days=1)  # older pending payments are left alone
RECONCILE_BATCH = 100


def _fail(code: ErrorCode, message: Message, *field: str) -> DomainFailure:
    return DomainFailure(DomainError(code, message, field or None))


# --- opening a payment ---------------------------------------------------------------------------
async def create_payment(
    runtime: Runtime, *, user_id: int, order_id: int, destination: Destination | None = None
) -> Payment:
    """The shopper's pending payment for their unpaid order: the open one, or a new one.

    The amount is always the order's total. One open payment per order is a database
    constraint, so concurrent calls return the same payment. An order with no shipping
    address (a flash sale's) takes `destination` first; without one it is refused with
    ADDRESS_REQUIRED. While tracing is on, the span `payment.create`, remembered for the
    webhook to link to (the latest call's).
    """
    attributes = {"flashmart.order.id": order_id}
    with tracing.optional_span("payment.create", attributes=attributes) as span:
        payment = await _open_payment(
            runtime, user_id=user_id, order_id=order_id, destination=destination
        )
        if span is not None:
            span.set_attribute("flashmart.payment.id", payment.id)
            key = runtime.keys.trace_context("payment", payment.id)
            await tracing.remember(runtime.redis, key, span)
    return payment


async def _open_payment(
    runtime: Runtime, *, user_id: int, order_id: int, destination: Destination | None
) -> Payment:
    order = await Order.get_or_none(id=order_id, user_id=user_id)
    if order is None:
        raise _fail(ErrorCode.NOT_FOUND, text("No such order"), "orderId")
    now = datetime.now(UTC)
    if order.status is not OrderStatus.PENDING_PAYMENT or (
        order.expires_at is not None and order.expires_at <= now
    ):
        state = "expired" if order.status is OrderStatus.PENDING_PAYMENT else order.status.value
        raise _fail(
            ErrorCode.INVALID_STATE,
            text("This order cannot be paid (it is {status})", status=state),
            "orderId",
        )
    if destination is not None:
        order = await shipping.ship_own_order_to(
            runtime, user_id=user_id, order_id=order.id, destination=destination
        )
    shipping.require_address(order, "orderId")
    existing = await Payment.get_or_none(open_order_id=order.id)
    if existing is not None:
        return existing
    provider = get_provider(runtime.settings)
    try:
        async with in_transaction():
            payment = await Payment.create(
                order_id=order.id,
                provider=provider.name,
                amount=order.total,
                currency=order.currency,
                open_order_id=order.id,
            )
            opened = await provider.create_payment(
                PaymentRequest(
                    merchant_reference=str(payment.id),
                    amount=order.total,
                    currency=order.currency,
                    order_number=order.number,
                    description=f"FlashMart order {order.number}",
                )
            )
            payment.provider_reference = opened.reference
            payment.pay_url = opened.pay_url
            await payment.save(update_fields=["provider_reference", "pay_url", "updated_at"])
    except IntegrityError:
        # A concurrent call opened it first (we waited for its commit on the unique index).
        existing = await Payment.get_or_none(open_order_id=order.id)
        if existing is None:
            raise
        return existing
    except ProviderError as exc:
        raise _fail(
            ErrorCode.PAYMENT_PROVIDER_ERROR,
            text("The payment provider is unavailable: {problem}", problem=str(exc)),
        ) from exc
    await publish_order_updated(runtime, order)
    return payment


# --- webhooks ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WebhookResult:
    duplicate: bool  # a redelivery of a notification we already accepted
    changed: bool  # the payment's status changed


async def receive_webhook(
    runtime: Runtime, *, provider_name: str, body: bytes, headers: Mapping[str, str]
) -> WebhookResult:
    """Verify a provider notification and apply it once; raises `WebhookRejected`.

    Signature (by the provider), freshness, then the nonce: a nonce seen before with the
    same body digest is a redelivery (no change); with another body it is refused. While
    tracing is on, the span `payment.webhook`, linked to the shopper's spans.
    """
    attributes = {"flashmart.payment.provider": provider_name}
    with tracing.optional_span("payment.webhook", attributes=attributes) as span:
        result = await _receive_webhook(
            runtime, span, provider_name=provider_name, body=body, headers=headers
        )
        if span is not None:
            span.set_attribute("flashmart.webhook.duplicate", result.duplicate)
    return result


async def _receive_webhook(
    runtime: Runtime,
    span: Span | None,
    *,
    provider_name: str,
    body: bytes,
    headers: Mapping[str, str],
) -> WebhookResult:
    settings = runtime.settings
    provider = get_provider(settings)
    if provider.name != provider_name:
        raise LookupError(provider_name)
    note = await provider.parse_webhook(body, headers)
    _check_fresh(settings, note.timestamp)
    digest = hashlib.sha256(body).hexdigest()
    nonce_key = runtime.keys.payment_webhook_nonce(provider.name, note.nonce)
    remembered = await runtime.redis.get(nonce_key)
    if remembered is not None:
        return _known_nonce(remembered.decode(), digest)
    payment = await Payment.get_or_none(provider=provider.name, provider_reference=note.reference)
    if payment is None:
        raise WebhookRejected(WebhookRejection.UNKNOWN_PAYMENT, note.reference)
    if span is not None:
        await _link_to_shopper(runtime, span, payment)
    try:
        with tracing.optional_span("payment.settle"):
            async with in_transaction():
                order = await _lock_order(payment)
                # Before any change, so concurrent copies of one notification stop here.
                await PaymentWebhook.create(
                    provider=provider.name,
                    nonce=note.nonce,
                    body_digest=digest,
                    payment_id=payment.id,
                    reported_status=note.status,
                )
                changed = await _settle(
                    runtime, provider, payment=payment, order=order, outcome=note.status
                )
    except IntegrityError:
        known = await PaymentWebhook.get_or_none(provider=provider.name, nonce=note.nonce)
        if known is None:
            raise
        result = _known_nonce(known.body_digest, digest)
        await _remember_nonce(runtime, nonce_key, known.body_digest)
        return result
    await _remember_nonce(runtime, nonce_key, digest)
    if changed:
        await _announce(runtime, payment.order_id)
    return WebhookResult(duplicate=False, changed=changed)


def _check_fresh(settings: Settings, timestamp: datetime) -> None:
    age = (datetime.now(UTC) - timestamp).total_seconds()
    if age > settings.payment_webhook_tolerance_seconds:
        raise WebhookRejected(WebhookRejection.STALE, f"signed {int(age)} s ago")
    if -age > settings.payment_webhook_max_clock_skew_seconds:
        raise WebhookRejected(WebhookRejection.FROM_THE_FUTURE, f"{int(-age)} s ahead")


def _known_nonce(known_digest: str, digest: str) -> WebhookResult:
    if known_digest != digest:
        raise WebhookRejected(WebhookRejection.NONCE_REUSED, "the nonce came with another body")
    return WebhookResult(duplicate=True, changed=False)


async def _remember_nonce(runtime: Runtime, key: str, digest: str) -> None:
    # Past the freshness window a notification is refused anyway; the table keeps them all.
    settings = runtime.settings
    ttl = 2 * (
        settings.payment_webhook_tolerance_seconds + settings.payment_webhook_max_clock_skew_seconds
    )
    await runtime.redis.set(key, digest, ex=ttl)


async def _lock_order(payment: Payment) -> Order:
    """Lock the payment's order, as the first statement of a settling transaction.

    Expiry, cancellation and payments of one order are then decided one at a time. Taking it
    first matters on PostgreSQL: a row inserted earlier that references the payment (the nonce
    record) would share-lock the payment row that the settling UPDATE needs, and two
    notifications doing that in opposite order deadlock.
    """
    return await Order.select_for_update().get(id=payment.order_id)


async def _settle(
    runtime: Runtime,
    provider: PaymentProvider,
    *,
    payment: Payment,
    order: Order,
    outcome: PaymentStatus,
) -> bool:
    """Apply the provider's outcome inside the caller's transaction, `order` locked by
    `_lock_order`; True when the payment changed."""
    order_id = order.id
    now = datetime.now(UTC)
    if outcome is PaymentStatus.FAILED:
        moved = await Payment.filter(id=payment.id, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.FAILED, open_order_id=None, settled_at=now, updated_at=now
        )
        return bool(moved)  # the order stays unpaid; the shopper may try again
    moved = await Payment.filter(
        id=payment.id, status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED]
    ).update(status=PaymentStatus.SUCCEEDED, open_order_id=None, settled_at=now, updated_at=now)
    if not moved:
        return False  # already settled: a second notification changes nothing
    if order.status is OrderStatus.PENDING_PAYMENT:
        with tracing.optional_span(
            "order.status PAID", attributes={"flashmart.order.id": order_id}
        ):
            await orders.change_status(
                runtime,
                order_id=order_id,
                target=OrderStatus.PAID,
                actor_id=None,
                reason=f"paid through {provider.name} ({payment.provider_reference})",
                only_from=OrderStatus.PENDING_PAYMENT,
                publish=False,
            )
    else:
        # Expired, cancelled or already paid by another payment: give the money back now.
        logger.warning(
            "payment for a %s order; refunding",
            order.status.value,
            extra={"payment_id": payment.id, "order_id": order_id},
        )
        await _refund(provider, payment_id=payment.id, reason=f"order was {order.status.value}")
    return True


async def _refund(provider: PaymentProvider, *, payment_id: int, reason: str) -> Refund | None:
    """Refund a SUCCEEDED payment in full, inside the caller's transaction (None if it isn't)."""
    payment = await Payment.get(id=payment_id)
    if payment.status is not PaymentStatus.SUCCEEDED:
        return None
    if payment.provider != provider.name or payment.provider_reference is None:
        raise ProviderError(f"payment {payment.id} was made through {payment.provider}")
    key = f"refund-payment-{payment.id}"
    given = await provider.refund(
        RefundRequest(
            reference=payment.provider_reference,
            amount=payment.amount,
            currency=payment.currency,
            idempotency_key=key,
            reason=reason,
        )
    )
    moved = await Payment.filter(id=payment.id, status=PaymentStatus.SUCCEEDED).update(
        status=PaymentStatus.REFUNDED, updated_at=datetime.now(UTC)
    )
    if not moved:  # refunded concurrently: roll back; the provider's key kept it single
        raise ProviderError(f"payment {payment.id} changed during its refund")
    return await Refund.create(
        payment_id=payment.id,
        amount=payment.amount,
        currency=payment.currency,
        provider_reference=given.reference,
        idempotency_key=key,
        reason=reason[:200],
    )


async def _announce(runtime: Runtime, order_id: int) -> None:
    attributes = {"flashmart.order.id": order_id}
    with tracing.optional_span("order.publish orderUpdated", attributes=attributes):
        order = await Order.get_or_none(id=order_id)
        if order is not None:
            await publish_order_updated(runtime, order)


async def _link_to_shopper(runtime: Runtime, span: Span, payment: Payment) -> None:
    """Link the webhook's span to the order's checkout and the payment's opening."""
    span.set_attributes(
        {"flashmart.payment.id": payment.id, "flashmart.order.id": payment.order_id}
    )
    keys = runtime.keys
    remembered = [
        keys.trace_context("order", payment.order_id),
        keys.trace_context("payment", payment.id),
    ]
    await tracing.link_remembered(runtime.redis, span, remembered)


# --- refunds -------------------------------------------------------------------------------------
async def refund_order(
    runtime: Runtime,
    *,
    admin_id: int,
    order_id: int,
    reason: str = "refunded by admin",
    refundable: frozenset[OrderStatus] = frozenset({OrderStatus.PAID}),
    publish: bool = True,
) -> Order:
    """An administrator refunds a paid order: money back through the provider, then the order.

    One transaction, the order row locked: provider refund (idempotent key), `Refund` row,
    payment REFUNDED, then `orders.refund_order` (PAID → REFUNDED, units back on sale). If
    any step fails, nothing is recorded, and a retry reuses the provider's refund.

    After-sales (`flashmart.aftersales`) refunds returned orders too (`refundable` SHIPPED or
    COMPLETED) inside its own transaction (`publish=False`: it announces after its commit).
    """
    provider = get_provider(runtime.settings)
    try:
        async with in_transaction():
            order = await Order.select_for_update().get_or_none(id=order_id)
            if order is None:
                raise _fail(ErrorCode.NOT_FOUND, text("No such order"), "id")
            if order.status not in refundable:
                raise _fail(
                    ErrorCode.INVALID_STATE,
                    text("An order that is {status} cannot be refunded", status=order.status.value),
                    "id",
                )
            paid = await Payment.filter(order_id=order_id, status=PaymentStatus.SUCCEEDED)
            for payment in paid:
                await _refund(provider, payment_id=payment.id, reason=reason)
            refunded = await orders.refund_order(
                runtime, admin_id=admin_id, order_id=order_id, publish=False, reason=reason
            )
    except ProviderError as exc:
        raise _fail(
            ErrorCode.PAYMENT_PROVIDER_ERROR,
            text("The payment provider refused the refund: {problem}", problem=str(exc)),
            "id",
        ) from exc
    if publish:
        await publish_order_updated(runtime, refunded)
    return refunded


# --- reconciliation ------------------------------------------------------------------------------
async def reconcile_pending(runtime: Runtime) -> int:
    """Ask the provider about payments pending for a while (a webhook may have been lost);
    apply what it says exactly like a webhook would. Returns how many payments changed."""
    settings = runtime.settings
    provider = get_provider(settings)
    now = datetime.now(UTC)
    pending = (
        await Payment.filter(
            status=PaymentStatus.PENDING,
            provider=provider.name,
            provider_reference__isnull=False,
            created_at__lte=now - timedelta(seconds=settings.payment_reconcile_after_seconds),
            created_at__gte=now - RECONCILE_WINDOW,
        )
        .order_by("id")
        .limit(RECONCILE_BATCH)
    )
    changed = 0
    for payment in pending:
        try:
            status = await provider.query_status(payment.provider_reference or "")
            if status not in (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED):
                continue
            async with in_transaction():
                order = await _lock_order(payment)
                moved = await _settle(
                    runtime, provider, payment=payment, order=order, outcome=status
                )
        except ProviderError as exc:
            logger.warning("could not reconcile payment %s: %s", payment.id, exc)
            continue
        if moved:
            changed += 1
            await _announce(runtime, payment.order_id)
    return changed


# --- reads ---------------------------------------------------------------------------------------
async def payments_by_order(order_ids: Sequence[int]) -> dict[int, list[Payment]]:
    grouped: dict[int, list[Payment]] = defaultdict(list)
    for payment in await Payment.filter(order_id__in=list(order_ids)).order_by("id"):
        grouped[payment.order_id].append(payment)
    return grouped


async def payments_for_viewer(
    payment_ids: Sequence[int], *, user_id: int, is_admin: bool
) -> dict[int, Payment]:
    """The payments among `payment_ids` that the viewer may see (own orders; admins: all)."""
    queryset = Payment.filter(id__in=list(payment_ids))
    if not is_admin:
        queryset = queryset.filter(order__user_id=user_id)
    return {p.id: p for p in await queryset}


ORDER_PAGE_PATH = (
    "/account/orders/{id}"  # the storefront's order page (frontend/src/config/paths.ts)
)


async def order_page_url(settings: Settings, *, merchant_reference: str) -> str | None:
    """The shop's page of the order a payment is for, where a provider sends the shopper back;
    None for an unknown payment. The page's id is the order's GraphQL id, as the shop links it."""
    if not merchant_reference.isdigit():
        return None
    payment = await Payment.get_or_none(id=int(merchant_reference))
    if payment is None:
        return None
    global_id = base64.b64encode(f"Order:{payment.order_id}".encode()).decode()
    path = ORDER_PAGE_PATH.format(id=quote(global_id, safe=""))
    return settings.public_base_url.rstrip("/") + path
