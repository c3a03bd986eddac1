import { useSubscription } from 'urql';
import type { FlashSaleFragment } from '@/gql/graphql';
import { FlashSaleUpdatedSubscription } from '../api/queries';

/**
 * A listed sale with its remaining stock and status kept live through `seckillEventUpdated`. The
 * subscription sends the current state first and every later change, so its latest message is never
 * older than the list query: it wins outright (stock may also go back up when an unpaid order expires).
 */
export function useLiveSale(event: FlashSaleFragment): FlashSaleFragment {
  const [{ data }] = useSubscription({
    query: FlashSaleUpdatedSubscription,
    variables: { id: event.id },
    pause: event.status === 'ENDED',
  });
  const update = data?.seckillEventUpdated;
  return update?.id === event.id ? { ...event, remainingStock: update.remainingStock, status: update.status } : event;
}
