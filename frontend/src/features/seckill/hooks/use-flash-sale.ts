import { useEffect } from 'react';
import { useQuery, useSubscription } from 'urql';
import { FlashSaleDetailQuery, FlashSaleUpdatedSubscription } from '../api/queries';
import { mergeLive } from '../utils/sale-state';

export const EVENT_POLL_MS = 2000;

/** One flash sale with its stock kept live: `seckillEventUpdated`, plus polling every 2 s as a fallback. */
export function useFlashSale(eventId: string) {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: FlashSaleDetailQuery, variables: { id: eventId } });
  const [{ data: live }] = useSubscription({ query: FlashSaleUpdatedSubscription, variables: { id: eventId } });
  const ended = data?.seckillEvent?.status === 'ENDED';

  useEffect(() => {
    if (ended) return;
    const id = setInterval(() => reexecute({ requestPolicy: 'network-only' }), EVENT_POLL_MS);
    return () => clearInterval(id);
  }, [reexecute, ended]);

  const base = data?.seckillEvent ?? null;
  const event = base ? mergeLive(base, live?.seckillEventUpdated.id === base.id ? live.seckillEventUpdated : null) : null;
  return { event, fetching: fetching && !data, error };
}
