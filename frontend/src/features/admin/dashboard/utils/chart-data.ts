import type { OrderStatus, SalesDashboardQuery } from '@/gql/graphql';
import { i18n, intlLocale } from '@/lib/i18n';

type Report = SalesDashboardQuery['salesReport'];

export interface DailyPoint {
  /** ISO day, e.g. "2030-03-01". */
  date: string;
  /** Axis label in the page's language, e.g. "Mar 1", "3月1日". */
  label: string;
  orders: number;
  paidOrders: number;
  /** Paid revenue as a number, for plotting only (figures shown as text use the decimal string). */
  revenue: number;
}

export interface StatusSlice {
  status: OrderStatus;
  label: string;
  count: number;
}

export const statusOrder: readonly OrderStatus[] = [
  'PENDING_PAYMENT',
  'PAID',
  'SHIPPED',
  'COMPLETED',
  'CANCELLED',
  'EXPIRED',
  'REFUNDED',
];

/** An order status in the page's language: "Pending payment", "待付款". */
export function statusLabel(status: OrderStatus): string {
  return i18n.t(`orderStatus.${status}`, { ns: 'console' });
}

/** One point per day, oldest first, with numbers a chart can plot. */
export function toDailySeries(days: Report['days']): DailyPoint[] {
  const dayLabel = new Intl.DateTimeFormat(intlLocale(), { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return [...days]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((day) => ({
      date: day.date,
      label: dayLabel.format(new Date(`${day.date}T00:00:00Z`)),
      orders: day.orders,
      paidOrders: day.paidOrders,
      revenue: Number(day.revenue.amount),
    }));
}

/** Orders by status in lifecycle order; statuses without orders are left out of the chart. */
export function toStatusSeries(counts: Report['statusCounts']): StatusSlice[] {
  const byStatus = new Map(counts.map((c) => [c.status, c.count]));
  return statusOrder
    .map((status) => ({ status, label: statusLabel(status), count: byStatus.get(status) ?? 0 }))
    .filter((slice) => slice.count > 0);
}

/** The report window: the last `days` UTC days, today included. */
export function lastDays(now: Date, days = 30): { from: string; to: string } {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const dayMs = 24 * 60 * 60 * 1000;
  return {
    from: new Date(midnight - (days - 1) * dayMs).toISOString(),
    to: new Date(midnight + dayMs).toISOString(),
  };
}

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
