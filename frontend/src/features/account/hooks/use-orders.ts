import { useState } from 'react';
import { useQuery } from 'urql';
import { OrdersQuery } from '../api/queries';

/** The shopper's orders, a page at a time; keeps the cursors of the pages before. */
export function useOrders(pageSize: number) {
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1) ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: OrdersQuery,
    variables: { first: pageSize, after },
    // An empty list names no Order type, so tell the cache which mutations make it stale.
    context: ordersContext,
  });
  const connection = data?.orders;
  const endCursor = connection?.pageInfo.endCursor ?? null;
  return {
    orders: connection?.edges.map((edge) => edge.node) ?? [],
    totalCount: connection?.totalCount ?? 0,
    page: cursors.length + 1,
    pageCount: Math.ceil((connection?.totalCount ?? 0) / pageSize),
    hasNext: Boolean(connection?.pageInfo.hasNextPage && endCursor),
    hasPrevious: cursors.length > 0,
    next: () => {
      if (endCursor) setCursors((stack) => [...stack, endCursor]);
    },
    previous: () => {
      setCursors((stack) => stack.slice(0, -1));
    },
    fetching,
    error,
  };
}

const ordersContext = { additionalTypenames: ['Order'] };
