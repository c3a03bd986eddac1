import { describe, expect, it } from 'vitest';
import { formatPercent, lastDays, toDailySeries, toStatusSeries } from './chart-data';

const money = (amount: string) => ({ __typename: 'Money' as const, amount, currency: 'CNY' });

describe('toDailySeries', () => {
  it('orders days oldest first, labels them in UTC and turns revenue into numbers', () => {
    const series = toDailySeries([
      { __typename: 'SalesDay', date: '2030-03-02', orders: 0, paidOrders: 0, revenue: money('0.00') },
      { __typename: 'SalesDay', date: '2030-03-01', orders: 3, paidOrders: 2, revenue: money('15.15') },
    ]);

    expect(series).toEqual([
      { date: '2030-03-01', label: 'Mar 1', orders: 3, paidOrders: 2, revenue: 15.15 },
      { date: '2030-03-02', label: 'Mar 2', orders: 0, paidOrders: 0, revenue: 0 },
    ]);
  });
});

describe('toStatusSeries', () => {
  it('keeps lifecycle order, readable labels and only statuses with orders', () => {
    const series = toStatusSeries([
      { __typename: 'OrderStatusCount', status: 'REFUNDED', count: 1 },
      { __typename: 'OrderStatusCount', status: 'CANCELLED', count: 0 },
      { __typename: 'OrderStatusCount', status: 'PAID', count: 4 },
      { __typename: 'OrderStatusCount', status: 'PENDING_PAYMENT', count: 2 },
    ]);

    expect(series).toEqual([
      { status: 'PENDING_PAYMENT', label: 'Pending payment', count: 2 },
      { status: 'PAID', label: 'Paid', count: 4 },
      { status: 'REFUNDED', label: 'Refunded', count: 1 },
    ]);
  });
});

describe('lastDays', () => {
  it('covers 30 whole UTC days ending with today', () => {
    expect(lastDays(new Date('2030-03-31T18:30:00Z'))).toEqual({
      from: '2030-03-02T00:00:00.000Z',
      to: '2030-04-01T00:00:00.000Z',
    });
  });
});

describe('formatPercent', () => {
  it('shows one decimal', () => {
    expect(formatPercent(0.6)).toBe('60.0%');
    expect(formatPercent(0)).toBe('0.0%');
  });
});
