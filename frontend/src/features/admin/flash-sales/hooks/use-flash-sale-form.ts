import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { normalizeError, type UserErrorLike } from '@/lib/errors';
import { FlashSaleCreateMutation, FlashSaleUpdateMutation } from '../api/mutations';
import { FlashSaleEditQuery, FlashSaleProductOptionsQuery } from '../api/queries';
import type { FlashSaleFormValues } from '../components/flash-sale-form';

const SEARCH_DELAY_MS = 250;

/** Products matching what the admin types into the picker (debounced). */
export function useProductOptions() {
  const [text, setText] = useState('');
  const search = useDebouncedValue(text.trim(), SEARCH_DELAY_MS);
  const [{ data, fetching }] = useQuery({
    query: FlashSaleProductOptionsQuery,
    variables: { search: search || null },
  });
  return {
    products: data?.products.edges.map((edge) => edge.node) ?? [],
    searching: fetching || text.trim() !== search,
    onSearch: setText,
  };
}

function sameInstant(a: string | null, b: string | null | undefined): boolean {
  return (a === null ? null : Date.parse(a)) === (b ? Date.parse(b) : null);
}

export interface SaveOutcome {
  saved: boolean;
  userErrors: UserErrorLike[];
  failure: string | null;
}

/** The sale being edited (none when creating) and the save that creates or updates it. */
export function useFlashSaleForm(id: string | null) {
  const [{ data, fetching, error }] = useQuery({
    query: FlashSaleEditQuery,
    variables: { id: id ?? '' },
    pause: id === null,
    requestPolicy: 'network-only',
  });
  const [created, create] = useMutation(FlashSaleCreateMutation);
  const [updated, update] = useMutation(FlashSaleUpdateMutation);
  const [outcome, setOutcome] = useState<SaveOutcome>({ saved: false, userErrors: [], failure: null });

  const save = async (values: FlashSaleFormValues): Promise<SaveOutcome> => {
    const result =
      id === null
        ? await create({ input: values }).then((r) => ({ error: r.error, payload: r.data?.seckillEventCreate }))
        : await update({
            id,
            input: {
              price: values.price,
              totalStock: values.totalStock,
              startsAt: values.startsAt,
              endsAt: values.endsAt,
              perUserLimit: values.perUserLimit,
              requiresVerifiedAccount: values.requiresVerifiedAccount,
              admissionMode: values.admissionMode,
              // Sent only when changed: the opening is fixed once the sale has started, even to the same time.
              roomOpensAt: sameInstant(values.roomOpensAt, data?.seckillEvent?.roomOpensAt) ? null : values.roomOpensAt,
              lotteryWindowSeconds: values.lotteryWindowSeconds,
              grantTtlSeconds: values.grantTtlSeconds,
              admissionFactor: values.admissionFactor,
            },
          }).then((r) => ({ error: r.error, payload: r.data?.seckillEventUpdate }));
    const next: SaveOutcome = {
      saved: Boolean(result.payload?.event),
      userErrors: result.payload?.userErrors ?? [],
      failure: result.error ? normalizeError(result.error).message : null,
    };
    setOutcome(next);
    return next;
  };

  return {
    event: data?.seckillEvent ?? null,
    loading: id !== null && fetching && !data,
    error,
    save,
    saving: created.fetching || updated.fetching,
    userErrors: outcome.userErrors,
    failure: outcome.failure,
  };
}
