import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { SeckillStatus } from '@/gql/graphql';
import { FlashSaleWarmupMutation } from '../api/mutations';
import { AdminFlashSalesQuery } from '../api/queries';

const PAGE_SIZE = 20;

/** Flash sales, optionally of one status, with cursor paging and the warm-up action. */
export function useFlashSales() {
  const [status, setStatus] = useState<SeckillStatus | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: AdminFlashSalesQuery,
    variables: { first: PAGE_SIZE, after, filter: status ? { status } : null },
    requestPolicy: 'cache-and-network',
  });
  const [warmup, runWarmup] = useMutation(FlashSaleWarmupMutation);
  const connection = data?.seckillEvents;
  return {
    events: connection?.edges.map((edge) => edge.node) ?? [],
    totalCount: connection?.totalCount ?? 0,
    fetching: fetching && !data,
    error,
    status,
    setStatus: (next: SeckillStatus | null) => {
      setStatus(next);
      setCursors([null]);
    },
    hasNext: connection?.pageInfo.hasNextPage ?? false,
    hasPrevious: cursors.length > 1,
    next: () => {
      const end = connection?.pageInfo.endCursor;
      if (end) setCursors([...cursors, end]);
    },
    previous: () => setCursors(cursors.slice(0, -1)),
    warmingUp: warmup.fetching,
    warmUp: async (id: string) => {
      const result = await runWarmup({ id });
      const payload = result.data?.seckillEventWarmup;
      return {
        error: result.error,
        messages: payload?.userErrors.map((e) => e.message) ?? [],
      };
    },
  };
}
