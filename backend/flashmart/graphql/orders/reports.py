"""Admin sales report: a thin mapping of `flashmart.orders.reports`."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry

from flashmart.graphql.orders.types import OrderStatus
from flashmart.graphql.permissions import IsAdmin
from flashmart.graphql.scalars import Money
from flashmart.orders import reports
from flashmart.orders.models import OrderStatus as ModelStatus

CURRENCY = "CNY"


@strawberry.enum(description="How a sales report groups its figures.")
class ReportGranularity(Enum):
    DAY = "DAY"


@strawberry.type(description="Figures of one UTC calendar day.")
class SalesDay:
    day: date = strawberry.field(name="date", description="The UTC calendar day.")
    orders: int = strawberry.field(description="Orders placed that day, in any status.")
    paid_orders: int = strawberry.field(description="Of those, paid, shipped or completed.")
    revenue: Money = strawberry.field(description="Total of the paid, shipped or completed ones.")

    @classmethod
    def from_figures(cls, figures: reports.DayFigures) -> SalesDay:
        return cls(
            day=figures.day,
            orders=figures.orders,
            paid_orders=figures.paid_orders,
            revenue=Money(amount=figures.revenue, currency=CURRENCY),
        )


@strawberry.type
class OrderStatusCount:
    status: OrderStatus  # type: ignore[valid-type]
    count: int


@strawberry.type(description="Orders and revenue over a period, aggregated in the database.")
class SalesReport:
    days: list[SalesDay] = strawberry.field(description="Every day of the period, oldest first.")
    status_counts: list[OrderStatusCount] = strawberry.field(
        description="Orders placed in the period by their current status (every status listed)."
    )
    orders: int
    paid_orders: int
    revenue: Money
    paid_rate: float = strawberry.field(description="paidOrders / orders, 0 when no orders.")
    today: SalesDay = strawberry.field(description="Today's figures (UTC), whatever the period.")


def _report(found: reports.SalesReport) -> SalesReport:
    return SalesReport(
        days=[SalesDay.from_figures(d) for d in found.days],
        status_counts=[
            OrderStatusCount(status=s, count=found.status_counts.get(s, 0)) for s in ModelStatus
        ],
        orders=found.orders,
        paid_orders=found.paid_orders,
        revenue=Money(amount=found.revenue, currency=CURRENCY),
        paid_rate=found.paid_rate,
        today=SalesDay.from_figures(found.today),
    )


@strawberry.type
class ReportQueries:
    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Orders and paid revenue per day in [from, to), with counts by status.",
    )
    async def sales_report(
        self,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        granularity: ReportGranularity = ReportGranularity.DAY,
    ) -> SalesReport:
        return _report(await reports.sales_report(start=from_, end=to))
