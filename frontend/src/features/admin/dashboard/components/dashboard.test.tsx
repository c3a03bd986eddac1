import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SalesDashboardQuery } from '@/gql/graphql';
import { Dashboard } from './dashboard';

const money = (amount: string) => ({ __typename: 'Money' as const, amount, currency: 'USD' });

const report: SalesDashboardQuery['salesReport'] = {
  __typename: 'SalesReport',
  days: [
    { __typename: 'SalesDay', date: '2030-03-01', orders: 3, paidOrders: 2, revenue: money('15.15') },
    { __typename: 'SalesDay', date: '2030-03-02', orders: 4, paidOrders: 3, revenue: money('20.00') },
  ],
  statusCounts: [
    { __typename: 'OrderStatusCount', status: 'PAID', count: 5 },
    { __typename: 'OrderStatusCount', status: 'PENDING_PAYMENT', count: 2 },
    { __typename: 'OrderStatusCount', status: 'CANCELLED', count: 0 },
  ],
  orders: 7,
  paidRate: 5 / 7,
  revenue: money('35.15'),
  today: { __typename: 'SalesDay', date: '2030-03-02', orders: 4, paidOrders: 3, revenue: money('20.00') },
};

describe('Dashboard', () => {
  it("shows today's KPIs and the period summary", () => {
    render(<Dashboard report={report} activeFlashSales={2} />);

    expect(screen.getByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Orders today' })).getByText('4')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Revenue today' })).getByText('$20.00')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Paid rate today' })).getByText('75.0%')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Live flash sales' })).getByText('2')).toBeInTheDocument();
    expect(screen.getByText(/Last 30 days: 7 orders, \$35\.15 paid, paid rate 71\.4%/)).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Orders and revenue per day' })).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Orders by status' })).toBeInTheDocument();
  });

  it('says so when the period has no orders', () => {
    render(<Dashboard report={{ ...report, statusCounts: [], orders: 0 }} activeFlashSales={0} />);

    expect(within(screen.getByRole('figure', { name: 'Orders by status' })).getByText('No orders in this period')).toBeInTheDocument();
  });
});
