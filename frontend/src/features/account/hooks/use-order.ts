import { useCallback, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { describeError, normalizeError, userErrorMessages } from '@/lib/errors';
import { OrderCancelMutation, OrderRefundRequestMutation, RefundRequestUpdateMutation } from '../api/mutations';
import { OrderLiveSubscription, OrderQuery } from '../api/queries';
import { mutationOutcome, type ActionResult } from './use-session-actions';

/**
 * The shopper's order, live: read once, then every `orderUpdated` push replaces it (a refund by
 * the shop, a request's decision, a payment), whatever its status. Plus the order's actions.
 */
export function useOrder(id: string) {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: OrderQuery, variables: { id } });
  const [{ data: live }] = useSubscription({ query: OrderLiveSubscription, variables: { id } });
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const [{ fetching: cancelling }, orderCancel] = useMutation(OrderCancelMutation);
  const [{ fetching: requesting }, orderRefundRequest] = useMutation(OrderRefundRequestMutation);
  const [{ fetching: tracking }, refundRequestUpdate] = useMutation(RefundRequestUpdateMutation);
  const [actionErrors, setActionErrors] = useState<string[]>([]);

  const cancel = useCallback(async () => {
    const result = await orderCancel({ id });
    if (result.error) setActionErrors([describeError(normalizeError(result.error))]);
    else setActionErrors(userErrorMessages(result.data?.orderCancel.userErrors ?? []));
  }, [id, orderCancel]);

  const requestRefund = useCallback(
    async (reason: string, returnTrackingNumber: string | null): Promise<ActionResult> => {
      const result = await orderRefundRequest({ id, reason, returnTrackingNumber });
      return mutationOutcome(result.error, result.data?.orderRefundRequest.userErrors);
    },
    [id, orderRefundRequest],
  );

  const addReturnTracking = useCallback(
    async (requestId: string, returnTrackingNumber: string): Promise<ActionResult> => {
      const result = await refundRequestUpdate({ id: requestId, returnTrackingNumber });
      return mutationOutcome(result.error, result.data?.refundRequestUpdate.userErrors);
    },
    [refundRequestUpdate],
  );

  return {
    order: live?.orderUpdated ?? data?.order ?? null,
    fetching,
    error,
    cancel,
    cancelling,
    actionErrors,
    refetch,
    requestRefund,
    addReturnTracking,
    refundBusy: requesting || tracking,
  };
}
