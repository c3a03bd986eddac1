"""The order state machine: the one table of legal status changes and what each one does."""

from __future__ import annotations

from dataclasses import dataclass

from flashmart.orders.models import OrderStatus as S


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    releases_stock: bool = False  # the order's units go back on sale
    # Only through an approved return (`flashmart.aftersales`), never by hand in the console.
    after_return: bool = False


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
        # A shipped order is refunded once its goods came back: they go back on sale.
        Transition(S.SHIPPED, S.REFUNDED, releases_stock=True, after_return=True),
        Transition(S.COMPLETED, S.REFUNDED, releases_stock=True, after_return=True),
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
    return [
        step.target
        for step in TRANSITIONS.values()
        if step.source is source and step.target in ADMIN_ACTIONS and not step.after_return
    ]
