import { useCallback, useRef } from 'react';
import { useMutation } from 'urql';
import { describeError, normalizeError, userErrorMessages } from '@/lib/errors';
import { CheckoutBuyNowMutation, CheckoutCompleteMutation } from '../api/mutations';
import { i18n } from '@/lib/i18n';

export type CheckoutResult = { ok: true; orderId: string } | { ok: false; messages: string[] };

/** What to order: the cart (the default), or `quantity` units of one product ("buy now"). */
export interface BuyNow {
  productId: string;
  quantity: number;
}

const randomKey = () => crypto.randomUUID();

// The checkout empties the cart and creates orders: make every query that shows either refetch.
const checkoutContext = { additionalTypenames: ['Cart', 'Order'] };

/**
 * Turn the cart (or, with `buyNow`, one product) into an order shipped to `addressId`. One
 * idempotency key per attempt: a second click while the first is on its way joins it instead
 * of sending again, and a retry after an unknown outcome (network error, server error) reuses
 * the key, so the server answers with the same order. The key is dropped once the server gave
 * a definite answer (an order or userErrors).
 */
export function useCheckout(newKey: () => string = randomKey, buyNow?: BuyNow) {
  const [complete, checkoutComplete] = useMutation(CheckoutCompleteMutation);
  const [bought, checkoutBuyNow] = useMutation(CheckoutBuyNowMutation);
  const key = useRef<string | null>(null);
  const inFlight = useRef<Promise<CheckoutResult> | null>(null);

  const checkout = useCallback(
    (addressId: string | null = null): Promise<CheckoutResult> => {
      if (inFlight.current) return inFlight.current;
      key.current ??= newKey();
      const idempotencyKey = key.current;
      const sent = buyNow
        ? checkoutBuyNow({ ...buyNow, idempotencyKey, addressId }, checkoutContext).then((result) => ({
            error: result.error,
            payload: result.data?.checkoutBuyNow,
          }))
        : checkoutComplete({ idempotencyKey, addressId }, checkoutContext).then((result) => ({
            error: result.error,
            payload: result.data?.checkoutComplete,
          }));
      const attempt = sent
        .then(({ error, payload }): CheckoutResult => {
          if (!payload) {
            // Unknown outcome: keep the key for the retry.
            const messages = error ? [describeError(normalizeError(error))] : [i18n.t('shop:checkout.failed')];
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
    },
    [checkoutComplete, checkoutBuyNow, newKey, buyNow],
  );

  return { checkout, fetching: complete.fetching || bought.fetching };
}
