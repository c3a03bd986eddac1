import { useCallback, useState } from 'react';
import { useMutation } from 'urql';
import type { PaymentCreateMutation as PaymentCreateResult } from '@/gql/graphql';
import { describeError, normalizeError, userErrorMessages } from '@/lib/errors';
import { PaymentCreateMutation } from '../api/mutations';

export type OpenPayment = NonNullable<PaymentCreateResult['paymentCreate']['payment']>;

export function usePayment(orderId: string) {
  const [{ fetching }, paymentCreate] = useMutation(PaymentCreateMutation);
  const [payment, setPayment] = useState<OpenPayment | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  /** Open the payment; `addressId` first gives an order without an address this one. */
  const open = useCallback(async (addressId: string | null = null) => {
    const result = await paymentCreate({ orderId, addressId });
    if (result.error) {
      setErrors([describeError(normalizeError(result.error))]);
      return;
    }
    const payload = result.data?.paymentCreate;
    setErrors(userErrorMessages(payload?.userErrors ?? []));
    if (payload?.payment) setPayment(payload.payment);
  }, [orderId, paymentCreate]);

  return { payment, opening: fetching, errors, open };
}
