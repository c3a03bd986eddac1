import { useCallback, useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import type { SeckillTicketProgressFragment } from '@/gql/graphql';
import { useFallbackPoll } from '@/hooks/use-fallback-poll';
import { BUSY_CODE, busyRetryMessage, describeError, messageForCode, normalizeError } from '@/lib/errors';
import { useSession } from '@/lib/session-context';
import { SeckillBuyMutation } from '../api/mutations';
import { FlashSaleMyTicketQuery, SeckillTicketQuery, SeckillTicketUpdatedSubscription } from '../api/queries';
import { isFinalTicket } from '../utils/sale-state';

export const TICKET_POLL_MS = 500;
/** Buys sent again by themselves after SERVICE_UNAVAILABLE, one click's worth, before giving up. */
export const MAX_BUSY_RETRIES = 10;

export interface BuyError {
  code: string;
  message: string;
}

/**
 * `seckillBuy`, then the ticket followed live (`seckillTicketUpdated`) until final; polled every
 * 500 ms only while the socket is down (and read again when it reconnects). Before any buy on this
 * page, the ticket is the signed-in shopper's `myTicket` in the sale (so a reload still shows it).
 *
 * While Redis or the database is down the API answers SERVICE_UNAVAILABLE with `retryAfter`:
 * the shopper sees "Busy, retrying in N s" counting down, and the buy is sent again when it
 * reaches 0 (up to MAX_BUSY_RETRIES times per click; a click during the countdown buys at once).
 *
 * A sale for verified accounts only reads the access token's claim, which says what was true
 * when the token was issued. When the buy answers EMAIL_NOT_VERIFIED although the server says the
 * email is verified now (`emailVerified`: verified in another browser), the tokens are refreshed
 * and the buy sent once more.
 */
export function useSeckillBuy(eventId: string, { emailVerified = false }: { emailVerified?: boolean } = {}) {
  const [{ fetching: buying }, seckillBuy] = useMutation(SeckillBuyMutation);
  const { refreshTokens, signedIn } = useSession();
  const [bought, setBought] = useState<SeckillTicketProgressFragment | null>(null);
  const [errors, setErrors] = useState<BuyError[]>([]);
  // After a reload the page has no buy of its own: the server knows the shopper's ticket.
  const [{ data: mine }] = useQuery({ query: FlashSaleMyTicketQuery, variables: { id: eventId }, pause: !signedIn });
  const queued = bought ?? mine?.seckillEvent?.myTicket ?? null;
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

  // A new object per countdown step, so that a second "busy" of the same length restarts it.
  const [retryIn, setRetryIn] = useState<{ seconds: number } | null>(null);
  const retries = useRef(0);

  const attempt = useCallback(async () => {
    setErrors([]);
    setRetryIn(null);
    let result = await seckillBuy({ eventId });
    const stale = result.data?.seckillBuy.userErrors.some((error) => error.code === 'EMAIL_NOT_VERIFIED');
    if (stale && emailVerified && (await refreshTokens()) === 'retry') {
      result = await seckillBuy({ eventId });
    }
    if (result.error) {
      const error = normalizeError(result.error);
      if (error.code === BUSY_CODE && retries.current < MAX_BUSY_RETRIES) {
        retries.current += 1;
        setRetryIn({ seconds: Math.max(1, Math.ceil(error.retryAfter ?? 1)) });
        return;
      }
      setErrors([{ code: error.code, message: describeError(error) }]);
      return;
    }
    retries.current = 0;
    const payload = result.data?.seckillBuy;
    const userErrors = payload?.userErrors ?? [];
    setErrors(userErrors.map((error) => ({ code: error.code, message: messageForCode(error.code, error.message) })));
    // The place in the queue comes with the ticket's subscription (the buy answers no more).
    if (payload?.ticket) setBought({ ...payload.ticket, queuePosition: null, payBy: null, order: null });
  }, [eventId, seckillBuy, emailVerified, refreshTokens]);

  // The countdown: one tick a second, the buy sent again when it runs out.
  useEffect(() => {
    if (retryIn === null) return undefined;
    const timer = setTimeout(() => {
      if (retryIn.seconds > 1) setRetryIn({ seconds: retryIn.seconds - 1 });
      else void attempt();
    }, 1000);
    return () => {
      clearTimeout(timer);
    };
  }, [retryIn, attempt]);

  const buy = useCallback(async () => {
    retries.current = 0;
    await attempt();
  }, [attempt]);

  const shown = retryIn === null ? errors : [{ code: BUSY_CODE, message: busyRetryMessage(retryIn.seconds) }];
  return { buy, buying, ticket, errors: shown };
}
