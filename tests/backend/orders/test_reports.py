"""The admin sales report: grouping by UTC day happens in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from flashmart.accounts.models import Role, User
from flashmart.core.errors import ApiError
from flashmart.orders import reports
from flashmart.orders.models import Order, OrderStatus
from tests.backend.helpers import Api, error_code, token_for

DAY1 = datetime(2030, 3, 1, tzinfo=UTC)


async def _order(user: User, n: int, status: OrderStatus, total: str, at: datetime) -> Order:
    order = await Order.create(
        number=f"FMTEST{n}", user=user, status=status, total=Decimal(total), currency="CNY"
    )
    await Order.filter(id=order.id).update(created_at=at)
    return order


async def _seed() -> User:
    user = await User.create(email="s@example.com", password_hash="x")
    await _order(user, 1, OrderStatus.PAID, "10.10", DAY1 + timedelta(hours=1))
    await _order(user, 2, OrderStatus.COMPLETED, "5.05", DAY1 + timedelta(hours=23, minutes=59))
    await _order(user, 3, OrderStatus.PENDING_PAYMENT, "99.00", DAY1 + timedelta(hours=2))
    await _order(user, 4, OrderStatus.SHIPPED, "1.00", DAY1 + timedelta(days=2, hours=12))
    await _order(user, 5, OrderStatus.REFUNDED, "7.00", DAY1 + timedelta(days=2, hours=13))
    await _order(user, 6, OrderStatus.PAID, "1000.00", DAY1 - timedelta(seconds=1))  # before
    await _order(user, 7, OrderStatus.PAID, "1000.00", DAY1 + timedelta(days=3))  # `to` excluded
    return user


@pytest.mark.usefixtures("db")
async def test_report_groups_per_utc_day_and_fills_empty_days() -> None:
    await _seed()
    report = await reports.sales_report(
        start=DAY1, end=DAY1 + timedelta(days=3), now=DAY1 + timedelta(days=2, hours=20)
    )
    assert [(d.day.isoformat(), d.orders, d.paid_orders, d.revenue) for d in report.days] == [
        ("2030-03-01", 3, 2, Decimal("15.15")),
        ("2030-03-02", 0, 0, Decimal("0.00")),
        ("2030-03-03", 2, 1, Decimal("1.00")),
    ]
    assert report.status_counts == {
        OrderStatus.PAID: 1,
        OrderStatus.COMPLETED: 1,
        OrderStatus.PENDING_PAYMENT: 1,
        OrderStatus.SHIPPED: 1,
        OrderStatus.REFUNDED: 1,
    }
    assert (report.orders, report.paid_orders, report.revenue) == (5, 3, Decimal("16.15"))
    assert report.paid_rate == pytest.approx(0.6)
    assert (report.today.orders, report.today.revenue) == (2, Decimal("1.00"))


@pytest.mark.usefixtures("db")
async def test_today_is_reported_even_outside_the_period() -> None:
    await _seed()
    report = await reports.sales_report(
        start=DAY1 + timedelta(days=1), end=DAY1 + timedelta(days=2), now=DAY1 + timedelta(hours=5)
    )
    assert [d.orders for d in report.days] == [0]
    assert report.paid_rate == 0.0
    assert (report.today.day, report.today.orders, report.today.paid_orders) == (DAY1.date(), 3, 2)


@pytest.mark.usefixtures("db")
async def test_bad_ranges_are_refused() -> None:
    with pytest.raises(ApiError):
        await reports.sales_report(start=DAY1, end=DAY1)
    with pytest.raises(ApiError):
        await reports.sales_report(start=DAY1, end=DAY1 + timedelta(days=400))


REPORT = """
query Report($from: DateTime!, $to: DateTime!) {
  salesReport(from: $from, to: $to, granularity: DAY) {
    days { date orders paidOrders revenue { amount currency } }
    statusCounts { status count }
    orders paidOrders paidRate revenue { amount }
    today { date orders }
  }
}
"""


async def test_sales_report_over_graphql_is_for_admins(api: Api) -> None:
    user = await _seed()
    variables = {"from": DAY1.isoformat(), "to": (DAY1 + timedelta(days=3)).isoformat()}
    shopper = await api.gql(REPORT, variables, token=token_for(user.id))
    assert error_code(shopper) == "FORBIDDEN"

    admin = await User.create(email="a@example.com", password_hash="x", role=Role.ADMIN)
    body = await api.gql(REPORT, variables, token=token_for(admin.id, Role.ADMIN))
    report = body["data"]["salesReport"]
    assert report["days"][0] == {
        "date": "2030-03-01",
        "orders": 3,
        "paidOrders": 2,
        "revenue": {"amount": "15.15", "currency": "CNY"},
    }
    counts = {c["status"]: c["count"] for c in report["statusCounts"]}
    assert counts["PAID"] == 1 and counts["CANCELLED"] == 0 and len(counts) == 7
    assert (report["orders"], report["paidOrders"], report["revenue"]["amount"]) == (5, 3, "16.15")
    assert report["paidRate"] == pytest.approx(0.6)

    backwards = await api.gql(
        REPORT,
        {"from": variables["to"], "to": variables["from"]},
        token=token_for(admin.id, Role.ADMIN),
    )
    assert error_code(backwards) == "BAD_USER_INPUT"
