import { useMutation, useQuery } from 'urql';
import type { OrderStatus } from '@/gql/graphql';
import { normalizeError } from '@/lib/errors';
import { AdminOrderRefundMutation, AdminOrderShipMutation, AdminOrderStatusUpdateMutation } from '../api/mutations';
import { AdminOrderQuery } from '../api/queries';

export interface ActionOutcome {
  ok: boolean;
  /** Why nothing changed: userErrors (the API's words) or a top-level error. */
  messages: string[];
}

/** The parcel of a shipment. */
export interface Parcel {
  carrier: string;
  trackingNumber: string;
}

/** One order with its status change, shipment and refund; each answers with the order as it is now. */
export function useAdminOrder(id: string) {
  const [{ data, fetching, error }] = useQuery({ query: AdminOrderQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const [statusUpdate, runStatusUpdate] = useMutation(AdminOrderStatusUpdateMutation);
  const [refund, runRefund] = useMutation(AdminOrderRefundMutation);
  const [shipping, runShip] = useMutation(AdminOrderShipMutation);

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
    busy: statusUpdate.fetching || refund.fetching || shipping.fetching,
    changeStatus: async (status: OrderStatus) => {
      const result = await runStatusUpdate({ id, status });
      return outcome(result, result.data?.orderStatusUpdate);
    },
    ship: async (parcel: Parcel) => {
      const result = await runShip({ id, ...parcel });
      return outcome(result, result.data?.orderShip);
    },
    refund: async () => {
      const result = await runRefund({ id });
      return outcome(result, result.data?.orderRefund);
    },
  };
}
