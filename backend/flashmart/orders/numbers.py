"""Order numbers: human-readable, unique and sortable by time, never the primary key."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def new_order_number(now: datetime | None = None) -> str:
    """`FM` + UTC date and time to the millisecond + 4 random digits, e.g. FM261123142456123-4821.

    Sorting numbers as strings sorts orders by creation time; the random tail (plus the
    unique constraint, retried on collision) keeps two orders of the same millisecond apart.
    """
    now = now or datetime.now(UTC)
    stamp = now.strftime("%y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"
    return f"FM{stamp}-{secrets.randbelow(10_000):04d}"
