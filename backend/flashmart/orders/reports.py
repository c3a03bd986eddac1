"""Sales figures for the admin dashboard, aggregated in the database. No GraphQL here.

Days are UTC calendar days. The grouping expression differs per dialect (SQLite stores
timestamps as ISO text, PostgreSQL as `timestamptz`), so it is one small pypika term below;
everything else is an ordinary Tortoise query with `GROUP BY`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Function as SqlFunction
from pypika_tortoise.terms import Term
from pypika_tortoise.utils import format_alias_sql
from tortoise.expressions import Function, Q
from tortoise.functions import Count, Sum

from flashmart.core.errors import bad_input
from flashmart.core.i18n import text
from flashmart.orders.models import Order, OrderStatus

# Orders whose money the shop has (or had, before fulfilment): they count as revenue.
PAID_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED)
MAX_DAYS = 366
CENT = Decimal("0.01")


class _UtcDaySql(SqlFunction):
    def __init__(self, term: Term, alias: str | None = None) -> None:
        super().__init__("DATE", term, alias=alias)

    def get_sql(self, ctx: SqlContext) -> str:
        inner = self.args[0].get_sql(ctx.copy(with_alias=False))
        if ctx.dialect.value == "postgresql":
            sql = f"CAST(({inner} AT TIME ZONE 'UTC') AS DATE)"
        else:  # SQLite keeps ISO-8601 text in UTC: the first ten characters are the day
            sql = f"SUBSTR({inner},1,10)"
        return format_alias_sql(sql, self.alias, ctx) if ctx.with_alias else sql


class UtcDay(Function):
    """The UTC calendar day of a timestamp column."""

    database_func = _UtcDaySql


@dataclass(frozen=True, slots=True)
class DayFigures:
    day: date
    orders: int
    paid_orders: int
    revenue: Decimal


@dataclass(frozen=True, slots=True)
class SalesReport:
    start: datetime
    end: datetime
    days: list[DayFigures]
    status_counts: dict[OrderStatus, int]
    today: DayFigures

    @property
    def orders(self) -> int:
        return sum(self.status_counts.values())

    @property
    def paid_orders(self) -> int:
        return sum(self.status_counts.get(s, 0) for s in PAID_STATUSES)

    @property
    def revenue(self) -> Decimal:
        return sum((d.revenue for d in self.days), Decimal("0.00"))

    @property
    def paid_rate(self) -> float:
        """Share of the period's orders that were paid (0 when there were none)."""
        return self.paid_orders / self.orders if self.orders else 0.0


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def _per_day(start: datetime, end: datetime) -> dict[date, DayFigures]:
    paid = Q(status__in=list(PAID_STATUSES))
    rows = (
        await Order.filter(created_at__gte=start, created_at__lt=end)
        .annotate(
            day=UtcDay("created_at"),
            orders=Count("id"),
            paid_orders=Count("id", _filter=paid),
            revenue=Sum("total", _filter=paid),
        )
        .group_by("day")
        .values("day", "orders", "paid_orders", "revenue")
    )
    found = {}
    for row in rows:
        day = _day(row["day"])
        found[day] = DayFigures(
            day=day,
            orders=int(row["orders"]),
            paid_orders=int(row["paid_orders"] or 0),
            revenue=_money(row["revenue"]),
        )
    return found


async def _status_counts(start: datetime, end: datetime) -> dict[OrderStatus, int]:
    rows = (
        await Order.filter(created_at__gte=start, created_at__lt=end)
        .annotate(count=Count("id"))
        .group_by("status")
        .values("status", "count")
    )
    return {OrderStatus(row["status"]): int(row["count"]) for row in rows}


def _empty(day: date) -> DayFigures:
    return DayFigures(day=day, orders=0, paid_orders=0, revenue=Decimal("0.00"))


async def sales_report(
    *, start: datetime, end: datetime, now: datetime | None = None
) -> SalesReport:
    """Orders and paid revenue per UTC day in [start, end), counts by status, and today's figures.

    Every day of the range appears in `days`, with zeros when nothing was ordered.
    """
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        raise bad_input(text("`to` must be after `from`"))
    first, last = start.date(), (end - timedelta(microseconds=1)).date()
    if (last - first).days + 1 > MAX_DAYS:
        raise bad_input(text("A report covers at most {maximum} days", maximum=MAX_DAYS))
    per_day = await _per_day(start, end)
    days = [per_day.get(d, _empty(d)) for d in _date_range(first, last)]
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    midnight = datetime.combine(today, datetime.min.time(), UTC)
    today_figures = (await _per_day(midnight, midnight + timedelta(days=1))).get(
        today, _empty(today)
    )
    return SalesReport(
        start=start,
        end=end,
        days=days,
        status_counts=await _status_counts(start, end),
        today=today_figures,
    )


def _date_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
