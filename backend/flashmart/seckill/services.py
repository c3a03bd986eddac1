"""Flash-sale events. No GraphQL here."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from tortoise.queryset import QuerySet

from flashmart.seckill.models import SeckillEvent


class SeckillStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    ACTIVE = "ACTIVE"
    SOLD_OUT = "SOLD_OUT"
    ENDED = "ENDED"


def remaining_stock(event: SeckillEvent) -> int:
    return max(0, event.total_stock - event.sold)


def status_of(event: SeckillEvent, *, now: datetime | None = None) -> SeckillStatus:
    now = now or datetime.now(UTC)
    if now >= event.ends_at:
        return SeckillStatus.ENDED
    if now < event.starts_at:
        return SeckillStatus.SCHEDULED
    if remaining_stock(event) <= 0:
        return SeckillStatus.SOLD_OUT
    return SeckillStatus.ACTIVE


def events_queryset(*, status: SeckillStatus | None = None) -> QuerySet[SeckillEvent]:
    now = datetime.now(UTC)
    queryset = SeckillEvent.all()
    if status is SeckillStatus.SCHEDULED:
        queryset = queryset.filter(starts_at__gt=now)
    elif status is SeckillStatus.ENDED:
        queryset = queryset.filter(ends_at__lte=now)
    elif status is not None:
        queryset = queryset.filter(starts_at__lte=now, ends_at__gt=now)
    return queryset


async def get_event(event_id: int) -> SeckillEvent | None:
    return await SeckillEvent.get_or_none(id=event_id)
