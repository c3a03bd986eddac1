"""The order state machine: the one table of legal status changes and what each one does."""

from __future__ import annotations

from dataclasses import dataclass

from flashmart.orders.models import OrderStatus as S


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    releases_stock: bool = False  # the order's units go back on sale


TRANSITIONS: dict[tuple[S, S], Transition] = {
    (t.source, t.target): t
    for t in (
        Transition(S.PENDING_PAYMENT, S.PAID),
        Transition(S.PENDING_PAYMENT, S.CANCELLED, releases_stock=True),
        Transition(S.PENDING_PAYMENT, S.EXPIRED, releases_stock=True),
        Transition(S.PAID, S.SHIPPED),
        Transition(S.SHIPPED, S.COMPLETED),
        # A paid order is refunded before it ships, so its units are still in the warehouse.
        Transition(S.PAID, S.REFUNDED, releases_stock=True),
    )
}

# What an administrator may set through `orderStatusUpdate` (payment and refund have their own
# operations, expiry belongs to the system).
ADMIN_TARGETS = frozenset({S.SHIPPED, S.COMPLETED, S.CANCELLED})
# What an administrator may do by hand at all: the targets above, and refunds (`orderRefund`).
ADMIN_ACTIONS = ADMIN_TARGETS | {S.REFUNDED}


def transition(source: S, target: S) -> Transition | None:
    return TRANSITIONS.get((source, target))


def next_statuses(source: S) -> list[S]:
    return [target for (src, target) in TRANSITIONS if src is source]


def admin_next_statuses(source: S) -> list[S]:
    """Where an administrator may move an order from `source` now (the console's actions)."""
    return [target for target in next_statuses(source) if target in ADMIN_ACTIONS]
