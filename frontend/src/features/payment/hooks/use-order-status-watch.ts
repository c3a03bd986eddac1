import { useEffect } from 'react';
import { useQuery, useSubscription } from 'urql';
import type { OrderStatus } from '@/gql/graphql';
import { PaymentOrderStatusQuery, PaymentOrderUpdatedSubscription } from '../api/queries';

export const ORDER_POLL_MS = 3000;

/**
 * Tells `onChange` when the order's status is no longer `shown`: live through `orderUpdated`, and
 * by polling every 3 s as a fallback (the page stops watching once it shows a final status).
 */
export function useOrderStatusWatch(orderId: string, shown: OrderStatus, onChange: () => void) {
  const [{ data: live }] = useSubscription({ query: PaymentOrderUpdatedSubscription, variables: { id: orderId } });
  const [{ data: polled }, poll] = useQuery({
    query: PaymentOrderStatusQuery,
    variables: { id: orderId },
    requestPolicy: 'network-only',
  });

  useEffect(() => {
    const id = setInterval(() => poll({ requestPolicy: 'network-only' }), ORDER_POLL_MS);
    return () => clearInterval(id);
  }, [poll]);

  const liveStatus = live?.orderUpdated.status;
  const polledStatus = polled?.order?.status;
  const changed = (liveStatus !== undefined && liveStatus !== shown) || (polledStatus !== undefined && polledStatus !== shown);
  useEffect(() => {
    if (changed) onChange();
  }, [changed, onChange]);
}
