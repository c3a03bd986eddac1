import { useState } from 'react';
import { useQuery } from 'urql';
import { AdminOrdersQuery } from '../api/queries';
import { noFilter, toOrderFilter, type OrdersFilterValue } from '../utils/order-filter';

const PAGE_SIZE = 20;

/** Every order, newest first (pages walk back in time from the newest), filtered. */
export function useAdminOrders() {
  const [filter, setFilter] = useState<OrdersFilterValue>(noFilter);
  // `before` cursors of the pages opened so far; null is the newest page.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const before = cursors[cursors.length - 1] ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: AdminOrdersQuery,
    variables: { last: PAGE_SIZE, before, filter: toOrderFilter(filter) },
    requestPolicy: 'cache-and-network',
  });
  const connection = data?.orders;
  const totalCount = connection?.totalCount ?? 0;
  return {
    orders: [...(connection?.edges ?? [])].reverse().map((edge) => edge.node),
    totalCount,
    fetching: fetching && !data,
    error,
    filter,
    setFilter: (next: OrdersFilterValue) => {
      setFilter(next);
      setCursors([null]);
    },
    page: cursors.length,
    pageCount: Math.max(1, Math.ceil(totalCount / PAGE_SIZE)),
    hasOlder: connection?.pageInfo.hasPreviousPage ?? false,
    hasNewer: cursors.length > 1,
    older: () => {
      const start = connection?.pageInfo.startCursor;
      if (start) setCursors([...cursors, start]);
    },
    newer: () => setCursors(cursors.slice(0, -1)),
  };
}
