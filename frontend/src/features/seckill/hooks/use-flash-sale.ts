import { useCallback } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useFallbackPoll } from '@/hooks/use-fallback-poll';
import { FlashSaleDetailQuery, FlashSaleUpdatedSubscription } from '../api/queries';
import { mergeLive } from '../utils/sale-state';

export const EVENT_POLL_MS = 2000;

/**
 * One flash sale with its stock kept live through `seckillEventUpdated`; polled every 2 s only while
 * the socket is down (and read again when it reconnects).
 */
export function useFlashSale(eventId: string) {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: FlashSaleDetailQuery, variables: { id: eventId } });
  const [{ data: live, error: liveError }] = useSubscription({
    query: FlashSaleUpdatedSubscription,
    variables: { id: eventId },
  });
  const ended = data?.seckillEvent?.status === 'ENDED';

  useFallbackPoll(reexecute, EVENT_POLL_MS, { active: !ended, liveFailed: !!liveError });

  const base = data?.seckillEvent ?? null;
  const event = base ? mergeLive(base, live?.seckillEventUpdated.id === base.id ? live.seckillEventUpdated : null) : null;
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  return { event, fetching: fetching && !data, error, refresh };
}
