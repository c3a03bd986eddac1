import { useCallback, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import type { SeckillTicketProgressFragment } from '@/gql/graphql';
import { useFallbackPoll } from '@/hooks/use-fallback-poll';
import { describeError, messageForCode, normalizeError } from '@/lib/errors';
import { SeckillBuyMutation } from '../api/mutations';
import { SeckillTicketQuery, SeckillTicketUpdatedSubscription } from '../api/queries';
import { isFinalTicket } from '../utils/sale-state';

export const TICKET_POLL_MS = 500;

export interface BuyError {
  code: string;
  message: string;
}

/**
 * `seckillBuy`, then the ticket followed live (`seckillTicketUpdated`) until final; polled every
 * 500 ms only while the socket is down (and read again when it reconnects).
 */
export function useSeckillBuy(eventId: string) {
  const [{ fetching: buying }, seckillBuy] = useMutation(SeckillBuyMutation);
  const [queued, setQueued] = useState<SeckillTicketProgressFragment | null>(null);
  const [errors, setErrors] = useState<BuyError[]>([]);
  const ticketId = queued?.id ?? '';

  const [{ data: live, error: liveError }] = useSubscription({
    query: SeckillTicketUpdatedSubscription,
    variables: { id: ticketId },
    pause: !queued,
  });
  const [{ data: polled }, poll] = useQuery({
    query: SeckillTicketQuery,
    variables: { id: ticketId },
    pause: !queued,
    requestPolicy: 'network-only',
  });

  const candidates = [live?.seckillTicketUpdated, polled?.seckillTicket, queued].filter(
    (ticket): ticket is SeckillTicketProgressFragment => !!ticket && ticket.id === ticketId,
  );
  const ticket = candidates.find((candidate) => isFinalTicket(candidate.status)) ?? candidates[0] ?? null;
  const waiting = ticket !== null && !isFinalTicket(ticket.status);

  useFallbackPoll(poll, TICKET_POLL_MS, { active: waiting, liveFailed: !!liveError });

  const buy = useCallback(async () => {
    setErrors([]);
    const result = await seckillBuy({ eventId });
    if (result.error) {
      const error = normalizeError(result.error);
      setErrors([{ code: error.code, message: describeError(error) }]);
      return;
    }
    const payload = result.data?.seckillBuy;
    const userErrors = payload?.userErrors ?? [];
    setErrors(userErrors.map((error) => ({ code: error.code, message: messageForCode(error.code, error.message) })));
    if (payload?.ticket) setQueued(payload.ticket);
  }, [eventId, seckillBuy]);

  return { buy, buying, ticket, errors };
}
