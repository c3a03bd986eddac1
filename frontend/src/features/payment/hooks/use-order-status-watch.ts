import { useEffect } from 'react';
import { useQuery, useSubscription } from 'urql';
import type { OrderStatus } from '@/gql/graphql';
import { useFallbackPoll } from '@/hooks/use-fallback-poll';
import { PaymentOrderStatusQuery, PaymentOrderUpdatedSubscription } from '../api/queries';

export const ORDER_POLL_MS = 3000;

/**
 * Tells `onChange` when the order's status is no longer `shown`: live through `orderUpdated`, and
 * by polling every 3 s only while the socket is down, reading again when it reconnects (the page
 * stops watching once it shows a final status).
 */
export function useOrderStatusWatch(orderId: string, shown: OrderStatus, onChange: () => void) {
  const [{ data: live, error: liveError }] = useSubscription({
    query: PaymentOrderUpdatedSubscription,
    variables: { id: orderId },
  });
  const [{ data: polled }, poll] = useQuery({
    query: PaymentOrderStatusQuery,
    variables: { id: orderId },
    requestPolicy: 'network-only',
  });

  useFallbackPoll(poll, ORDER_POLL_MS, { liveFailed: !!liveError });

  const liveStatus = live?.orderUpdated.status;
  const polledStatus = polled?.order?.status;
  const changed = (liveStatus !== undefined && liveStatus !== shown) || (polledStatus !== undefined && polledStatus !== shown);
  useEffect(() => {
    if (changed) onChange();
  }, [changed, onChange]);
}
