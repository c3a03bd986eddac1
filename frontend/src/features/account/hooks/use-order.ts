import { useCallback, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { describeError, normalizeError, userErrorMessages } from '@/lib/errors';
import { OrderCancelMutation } from '../api/mutations';
import { OrderQuery } from '../api/queries';

export function useOrder(id: string) {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: OrderQuery, variables: { id } });
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const [{ fetching: cancelling }, orderCancel] = useMutation(OrderCancelMutation);
  const [actionErrors, setActionErrors] = useState<string[]>([]);

  const cancel = useCallback(async () => {
    const result = await orderCancel({ id });
    if (result.error) setActionErrors([describeError(normalizeError(result.error))]);
    else setActionErrors(userErrorMessages(result.data?.orderCancel.userErrors ?? []));
  }, [id, orderCancel]);

  return { order: data?.order ?? null, fetching, error, cancel, cancelling, actionErrors, refetch };
}
