import { useMutation, useQuery } from 'urql';
import type { OrderStatus } from '@/gql/graphql';
import { normalizeError } from '@/lib/errors';
import { AdminOrderRefundMutation, AdminOrderStatusUpdateMutation } from '../api/mutations';
import { AdminOrderQuery } from '../api/queries';

export interface ActionOutcome {
  ok: boolean;
  /** Why nothing changed: userErrors (the API's words) or a top-level error. */
  messages: string[];
}

/** One order with its status change and refund; both answer with the order as it is now. */
export function useAdminOrder(id: string) {
  const [{ data, fetching, error }] = useQuery({ query: AdminOrderQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const [statusUpdate, runStatusUpdate] = useMutation(AdminOrderStatusUpdateMutation);
  const [refund, runRefund] = useMutation(AdminOrderRefundMutation);

  const outcome = (
    result: { error?: Parameters<typeof normalizeError>[0] },
    payload: { userErrors: { message: string }[] } | undefined,
  ): ActionOutcome => {
    if (result.error) return { ok: false, messages: [normalizeError(result.error).message] };
    const messages = payload?.userErrors.map((e) => e.message) ?? [];
    return { ok: messages.length === 0, messages };
  };

  return {
    order: data?.order ?? null,
    fetching: fetching && !data,
    error,
    busy: statusUpdate.fetching || refund.fetching,
    changeStatus: async (status: OrderStatus) => {
      const result = await runStatusUpdate({ id, status });
      return outcome(result, result.data?.orderStatusUpdate);
    },
    refund: async () => {
      const result = await runRefund({ id });
      return outcome(result, result.data?.orderRefund);
    },
  };
}
