"""Refund requests: a shopper asks for their money back, the shop approves or declines.

States (one table, `STEPS`):

- a PAID order gets a `REFUND` request; approving it refunds at once (REQUESTED → REFUNDED):
  money back through the payment provider (`flashmart.payments.services.refund_order`, the
  same path as the console's `orderRefund`) and the units back on sale;
- a SHIPPED or COMPLETED order gets a `RETURN_AND_REFUND` request; approving it accepts the
  return (REQUESTED → APPROVED); the shopper gives the return's tracking number (with the
  request or later), and once the goods are back the shop refunds (APPROVED → REFUNDED): the
  returned units go back on sale;
- the shop may decline an open request with a reason (→ DECLINED); the shopper may ask again.

One open request per order is a unique column (`open_order_id`). Every change is a
conditional update on the state read (`WHERE state = …`), so of two racing decisions one
wins and the other gets `INVALID_STATE`. Transactions that touch an order and a request lock
the order first: creating a request touches the order row (conditionally on the status it
read), approving locks it; shipping, expiry and payments lock the same row, so they are
decided one after the other. A `REFUND` request whose order shipped before the approval is
approved as a return. Every change announces `orderUpdated` after its commit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.aftersales.models import RefundRequest, RefundState, RefundType
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text
from flashmart.core.runtime import Runtime
from flashmart.orders.events import publish_order_updated
from flashmart.orders.models import Order, OrderStatus
from flashmart.payments import services as payments

MAX_REASON_LENGTH = 500
MAX_TRACKING_LENGTH = 64
_TRACKING = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]*")

S = RefundState
# The legal state changes of a request: (from, to).
STEPS = frozenset(
    {
        (S.REQUESTED, S.REFUNDED),  # a refund before shipping
        (S.REQUESTED, S.APPROVED),  # a return accepted
        (S.APPROVED, S.REFUNDED),  # the returned goods arrived
        (S.REQUESTED, S.DECLINED),
        (S.APPROVED, S.DECLINED),
    }
)
OPEN_STATES = (S.REQUESTED, S.APPROVED)
SHIPPED_STATUSES = frozenset({OrderStatus.SHIPPED, OrderStatus.COMPLETED})


def _fail(code: ErrorCode, message: Message, *field: str) -> DomainFailure:
    return DomainFailure(DomainError(code, message, field or None))


def _now() -> datetime:
    return datetime.now(UTC)


def _text(value: str, *, field: str, missing: Message) -> str:
    """A required free text (a reason): trimmed, printable, at most MAX_REASON_LENGTH;
    `missing` is the message when it is blank."""
    cleaned = value.strip()
    if not cleaned:
        raise _fail(ErrorCode.REQUIRED, missing, field)
    if len(cleaned) > MAX_REASON_LENGTH:
        raise _fail(
            ErrorCode.INVALID,
            text("At most {maximum} characters", maximum=MAX_REASON_LENGTH),
            field,
        )
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in cleaned):
        raise _fail(ErrorCode.INVALID, text("Control characters are not allowed"), field)
    return cleaned


def _tracking(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    number = value.strip()
    if len(number) > MAX_TRACKING_LENGTH or _TRACKING.fullmatch(number) is None:
        raise _fail(
            ErrorCode.INVALID,
            text("A tracking number has letters, digits, spaces and dashes only"),
            "returnTrackingNumber",
        )
    return number


async def _announce(runtime: Runtime, order_id: int) -> None:
    order = await Order.get_or_none(id=order_id)
    if order is not None:
        await publish_order_updated(runtime, order)


def _step(request: RefundRequest, target: RefundState) -> None:
    if (request.state, target) not in STEPS:
        raise _fail(
            ErrorCode.INVALID_STATE,
            text(
                "A request that is {state} cannot become {target}",
                state=request.state.value,
                target=target.value,
            ),
            "id",
        )


async def _claim(request: RefundRequest, target: RefundState, **fields: object) -> None:
    """Move `request` from the state it was read in to `target`, or fail if it moved meanwhile."""
    _step(request, target)
    now = _now()
    values: dict[str, object] = {"state": target, "updated_at": now, **fields}
    if target is not S.APPROVED:
        values["open_order_id"] = None
    moved = await RefundRequest.filter(id=request.id, state=request.state).update(**values)
    if not moved:
        raise _fail(ErrorCode.INVALID_STATE, text("The request changed meanwhile; reload it"), "id")


# --- the shopper ----------------------------------------------------------------------------
async def request_refund(
    runtime: Runtime,
    *,
    user_id: int,
    order_id: int,
    reason: str,
    return_tracking_number: str | None = None,
) -> RefundRequest:
    """The shopper asks for a refund of their own paid order (`orderRefundRequest`)."""
    reason_text = _text(reason, field="reason", missing=text("Give a reason"))
    tracking = _tracking(return_tracking_number)
    try:
        async with in_transaction():
            order = await Order.get_or_none(id=order_id, user_id=user_id)
            if order is None:
                raise _fail(ErrorCode.NOT_FOUND, text("No such order"), "id")
            if order.status is OrderStatus.PAID:
                kind = RefundType.REFUND
            elif order.status in SHIPPED_STATUSES:
                kind = RefundType.RETURN_AND_REFUND
            else:
                raise _fail(
                    ErrorCode.INVALID_STATE,
                    text(
                        "Only paid orders can be refunded (this one is {status})",
                        status=order.status.value,
                    ),
                    "id",
                )
            # Locks the order row for this transaction, conditionally on the status read: a
            # shipment or refund that committed meanwhile makes this a no-op.
            touched = await Order.filter(id=order.id, status=order.status).update(updated_at=_now())
            if not touched:
                raise _fail(
                    ErrorCode.INVALID_STATE, text("The order changed meanwhile; try again"), "id"
                )
            request = await RefundRequest.create(
                order_id=order.id,
                user_id=user_id,
                type=kind,
                reason=reason_text,
                return_tracking_number=tracking if kind is RefundType.RETURN_AND_REFUND else None,
                open_order_id=order.id,
            )
    except IntegrityError as exc:
        if not await RefundRequest.filter(open_order_id=order_id).exists():
            raise
        raise _fail(
            ErrorCode.ALREADY_REQUESTED, text("This order already has an open refund request"), "id"
        ) from exc
    await _announce(runtime, order_id)
    return request


async def add_return_tracking(
    runtime: Runtime, *, user_id: int, request_id: int, return_tracking_number: str
) -> RefundRequest:
    """The shopper gives (or corrects) the tracking number of their return
    (`refundRequestUpdate`), while the request is open."""
    tracking = _tracking(return_tracking_number)
    if tracking is None:
        raise _fail(
            ErrorCode.REQUIRED, text("Give the return's tracking number"), "returnTrackingNumber"
        )
    request = await RefundRequest.get_or_none(id=request_id, user_id=user_id)
    if request is None:
        raise _fail(ErrorCode.NOT_FOUND, text("No such refund request"), "id")
    if request.type is not RefundType.RETURN_AND_REFUND:
        raise _fail(
            ErrorCode.INVALID_STATE,
            text("Only a return has a tracking number"),
            "returnTrackingNumber",
        )
    moved = await RefundRequest.filter(id=request.id, state__in=OPEN_STATES).update(
        return_tracking_number=tracking, updated_at=_now()
    )
    if not moved:
        raise _fail(ErrorCode.INVALID_STATE, text("This request is closed"), "id")
    await _announce(runtime, request.order_id)
    return await RefundRequest.get(id=request.id)


# --- the shop -------------------------------------------------------------------------------
async def _open_request(request_id: int) -> RefundRequest:
    request = await RefundRequest.get_or_none(id=request_id)
    if request is None:
        raise _fail(ErrorCode.NOT_FOUND, text("No such refund request"), "id")
    return request


def _refund_reason(request: RefundRequest) -> str:
    return f"refund request {request.id}: {request.reason}"[:200]


async def approve(runtime: Runtime, *, admin_id: int, request_id: int) -> RefundRequest:
    """Approve a REQUESTED request (`refundRequestApprove`): refund a paid order now, or
    accept the return of a shipped one (then `refund_return` once the goods are back)."""
    request = await _open_request(request_id)
    decided = {"decided_by_id": admin_id, "decided_at": _now()}
    async with in_transaction():
        # The order first, like every other writer of both rows (see the module docstring).
        order = await Order.select_for_update().get(id=request.order_id)
        if request.state is S.REQUESTED and order.status is OrderStatus.PAID:
            await _claim(request, S.REFUNDED, refunded_at=_now(), **decided)
            await payments.refund_order(
                runtime, admin_id=admin_id, order_id=order.id, reason=_refund_reason(request),
                publish=False,
            )  # fmt: skip
        elif request.state is S.REQUESTED and order.status in SHIPPED_STATUSES:
            await _claim(request, S.APPROVED, type=RefundType.RETURN_AND_REFUND, **decided)
        elif request.state is S.REQUESTED and order.status is OrderStatus.REFUNDED:
            # Refunded meanwhile in the console (`orderRefund`): the money is already back.
            await _claim(request, S.REFUNDED, refunded_at=_now(), **decided)
        else:
            _step(request, S.APPROVED)  # raises INVALID_STATE for a request already decided
            raise _fail(
                ErrorCode.INVALID_STATE,
                text("An order that is {status} cannot be refunded", status=order.status.value),
                "id",
            )
    await _announce(runtime, request.order_id)
    return await RefundRequest.get(id=request.id)


async def refund_return(runtime: Runtime, *, admin_id: int, request_id: int) -> RefundRequest:
    """The returned goods of an APPROVED return arrived: money back, units back on sale
    (`refundRequestRefund`)."""
    request = await _open_request(request_id)
    if request.state is not S.APPROVED:
        raise _fail(
            ErrorCode.INVALID_STATE,
            text(
                "Only an approved return is refunded this way (this request is {state})",
                state=request.state.value,
            ),
            "id",
        )
    if request.return_tracking_number is None:
        raise _fail(
            ErrorCode.INVALID_STATE,
            text("The return has no tracking number yet: wait for the shopper to send the goods"),
            "id",
        )
    async with in_transaction():
        await Order.select_for_update().get(id=request.order_id)
        await _claim(request, S.REFUNDED, refunded_at=_now())
        await payments.refund_order(
            runtime,
            admin_id=admin_id,
            order_id=request.order_id,
            reason=_refund_reason(request),
            refundable=SHIPPED_STATUSES,
            publish=False,
        )
    await _announce(runtime, request.order_id)
    return await RefundRequest.get(id=request.id)


async def decline(
    runtime: Runtime, *, admin_id: int, request_id: int, reason: str
) -> RefundRequest:
    """Decline an open request with a reason the shopper sees (`refundRequestDecline`)."""
    reason_text = _text(reason, field="reason", missing=text("Give the reason for declining"))
    request = await _open_request(request_id)
    await _claim(
        request, S.DECLINED, decline_reason=reason_text, decided_by_id=admin_id, decided_at=_now()
    )
    await _announce(runtime, request.order_id)
    return await RefundRequest.get(id=request.id)


# --- reads ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RefundRequestFilter:
    state: RefundState | None = None
    type: RefundType | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    order_number: str | None = None


def search(filters: RefundRequestFilter | None = None) -> QuerySet[RefundRequest]:
    """Requests for the console's list, filtered."""
    f = filters or RefundRequestFilter()
    queryset = RefundRequest.all()
    if f.state is not None:
        queryset = queryset.filter(state=f.state)
    if f.type is not None:
        queryset = queryset.filter(type=f.type)
    if f.created_from is not None:
        queryset = queryset.filter(created_at__gte=f.created_from)
    if f.created_to is not None:
        queryset = queryset.filter(created_at__lt=f.created_to)
    if f.order_number:
        queryset = queryset.filter(order__number__icontains=f.order_number.strip())
    return queryset


async def requests_by_order(order_ids: list[int]) -> dict[int, list[RefundRequest]]:
    grouped: dict[int, list[RefundRequest]] = {i: [] for i in order_ids}
    for request in await RefundRequest.filter(order_id__in=order_ids).order_by("id"):
        grouped[request.order_id].append(request)
    return grouped
