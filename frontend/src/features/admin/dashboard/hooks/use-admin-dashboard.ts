import { useState } from 'react';
import { useQuery } from 'urql';
import { SalesDashboardQuery } from '../api/queries';
import { lastDays } from '../utils/chart-data';

/** The last 30 days of sales and the number of running flash sales. */
export function useAdminDashboard() {
  const [range] = useState(() => lastDays(new Date()));
  const [{ data, fetching, error }] = useQuery({ query: SalesDashboardQuery, variables: range });
  return {
    report: data?.salesReport ?? null,
    activeFlashSales: data?.activeFlashSales.totalCount ?? 0,
    fetching,
    error,
  };
}
