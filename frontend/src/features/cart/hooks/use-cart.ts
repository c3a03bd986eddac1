import { useCallback } from 'react';
import { useMutation, useQuery } from 'urql';
import { describeError, normalizeError, userErrorMessages } from '@/lib/errors';
import { useSession } from '@/lib/session-context';
import { CartAddItemMutation, CartRemoveItemMutation, CartUpdateItemMutation } from '../api/mutations';
import { CartQuery } from '../api/queries';

/** The signed-in shopper's cart; nothing (and no request) for a visitor. */
export function useCart() {
  const { signedIn } = useSession();
  const [{ data, fetching, error }] = useQuery({ query: CartQuery, pause: !signedIn });
  return { signedIn, cart: signedIn ? (data?.cart ?? null) : null, fetching: signedIn && fetching, error };
}

/** Mutation outcome for the UI: nothing when it worked, else sentences to show. */
export type CartActionResult = { ok: true } | { ok: false; messages: string[] };

type Outcome = {
  error?: Parameters<typeof normalizeError>[0];
  payload?: { userErrors: { code: string; message: string }[] } | null;
};

function toResult({ error, payload }: Outcome): CartActionResult {
  if (error) return { ok: false, messages: [describeError(normalizeError(error))] };
  const messages = userErrorMessages(payload?.userErrors ?? []);
  return messages.length > 0 ? { ok: false, messages } : { ok: true };
}

export function useCartActions() {
  const [{ fetching: adding }, addItem] = useMutation(CartAddItemMutation);
  const [{ fetching: updating }, updateItem] = useMutation(CartUpdateItemMutation);
  const [{ fetching: removing }, removeItem] = useMutation(CartRemoveItemMutation);

  const add = useCallback(
    async (productId: string, quantity: number) => {
      const result = await addItem({ productId, quantity });
      return toResult({ error: result.error, payload: result.data?.cartAddItem });
    },
    [addItem],
  );
  const update = useCallback(
    async (lineId: string, quantity: number) => {
      const result = await updateItem({ lineId, quantity });
      return toResult({ error: result.error, payload: result.data?.cartUpdateItem });
    },
    [updateItem],
  );
  const remove = useCallback(
    async (lineId: string) => {
      const result = await removeItem({ lineId });
      return toResult({ error: result.error, payload: result.data?.cartRemoveItem });
    },
    [removeItem],
  );
  return { add, update, remove, adding, busy: adding || updating || removing };
}
