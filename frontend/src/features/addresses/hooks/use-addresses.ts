import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { AddressFieldsFragment, AddressInput } from '@/gql/graphql';
import { normalizeError, type UserErrorLike } from '@/lib/errors';
import { noErrors, sortUserErrors, type SortedErrors } from '@/lib/user-errors';
import { AddressCreateMutation, AddressDeleteMutation, AddressSetDefaultMutation, AddressUpdateMutation } from '../api/mutations';
import { AddressesQuery } from '../api/queries';
import { addressFields, type AddressField } from '../components/address-form';

export type BookAddress = AddressFieldsFragment;
// Every change answers with the whole book; the query refetches as well, for other views.
const bookContext = { additionalTypenames: ['Address'] };

interface Outcome {
  error?: Parameters<typeof normalizeError>[0];
  userErrors: readonly UserErrorLike[];
}

function sorted({ error, userErrors }: Outcome): SortedErrors<AddressField> {
  if (error) return { byField: {}, general: [normalizeError(error).message] };
  return sortUserErrors(userErrors, addressFields);
}

/** The shopper's address book with its four changes; `errors` is why the last one failed. */
export function useAddresses() {
  // The book's typename declared, so that a change refetches even an empty book (whose result
  // names no Address for the cache to match).
  const [{ data, fetching, error }] = useQuery({ query: AddressesQuery, requestPolicy: 'cache-and-network', context: bookContext });
  const [create, runCreate] = useMutation(AddressCreateMutation);
  const [update, runUpdate] = useMutation(AddressUpdateMutation);
  const [remove, runRemove] = useMutation(AddressDeleteMutation);
  const [setDefault, runSetDefault] = useMutation(AddressSetDefaultMutation);
  const [errors, setErrors] = useState<SortedErrors<AddressField>>(noErrors);

  const settle = (outcome: Outcome): boolean => {
    const next = sorted(outcome);
    setErrors(next);
    return next.general.length === 0 && Object.keys(next.byField).length === 0;
  };

  return {
    addresses: data?.addresses ?? [],
    fetching: fetching && !data,
    error,
    errors,
    clearErrors: () => setErrors(noErrors),
    busy: create.fetching || update.fetching || remove.fetching || setDefault.fetching,
    /** The new address, or null when it was refused. */
    create: async (input: AddressInput, isDefault = false): Promise<BookAddress | null> => {
      const result = await runCreate({ input, isDefault }, bookContext);
      const payload = result.data?.addressCreate;
      settle({ error: result.error, userErrors: payload?.userErrors ?? [] });
      return payload?.address ?? null;
    },
    update: async (id: string, input: AddressInput): Promise<boolean> => {
      const result = await runUpdate({ id, input }, bookContext);
      return settle({ error: result.error, userErrors: result.data?.addressUpdate.userErrors ?? [] });
    },
    remove: async (id: string): Promise<boolean> => {
      const result = await runRemove({ id }, bookContext);
      return settle({ error: result.error, userErrors: result.data?.addressDelete.userErrors ?? [] });
    },
    makeDefault: async (id: string): Promise<boolean> => {
      const result = await runSetDefault({ id }, bookContext);
      return settle({ error: result.error, userErrors: result.data?.addressSetDefault.userErrors ?? [] });
    },
  };
}
