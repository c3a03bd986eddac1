import { useCallback, useRef } from 'react';
import { useMutation } from 'urql';
import { describeError, normalizeError, userErrorMessages } from '@/lib/errors';
import { CheckoutCompleteMutation } from '../api/mutations';

export type CheckoutResult = { ok: true; orderId: string } | { ok: false; messages: string[] };

const randomKey = () => crypto.randomUUID();

// The checkout empties the cart and creates orders: make every query that shows either refetch.
const checkoutContext = { additionalTypenames: ['Cart', 'Order'] };

/**
 * Turn the cart into an order. One idempotency key per attempt: a second click while the first
 * is on its way joins it instead of sending again, and a retry after an unknown outcome
 * (network error, server error) reuses the key, so the server answers with the same order.
 * The key is dropped once the server gave a definite answer (an order or userErrors).
 */
export function useCheckout(newKey: () => string = randomKey) {
  const [{ fetching }, checkoutComplete] = useMutation(CheckoutCompleteMutation);
  const key = useRef<string | null>(null);
  const inFlight = useRef<Promise<CheckoutResult> | null>(null);

  const checkout = useCallback((): Promise<CheckoutResult> => {
    if (inFlight.current) return inFlight.current;
    key.current ??= newKey();
    const attempt = checkoutComplete({ idempotencyKey: key.current }, checkoutContext)
      .then((result): CheckoutResult => {
        const payload = result.data?.checkoutComplete;
        if (!payload) {
          // Unknown outcome: keep the key for the retry.
          const messages = result.error ? [describeError(normalizeError(result.error))] : ['Checkout failed.'];
          return { ok: false, messages };
        }
        key.current = null;
        if (payload.order) return { ok: true, orderId: payload.order.id };
        return { ok: false, messages: userErrorMessages(payload.userErrors) };
      })
      .finally(() => {
        inFlight.current = null;
      });
    inFlight.current = attempt;
    return attempt;
  }, [checkoutComplete, newKey]);

  return { checkout, fetching };
}
