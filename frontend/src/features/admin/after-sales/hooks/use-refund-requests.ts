import { useCallback, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { newestFirstPages, useUrlList, type UrlListCodec } from '@/hooks/use-url-list';
import { describeError, normalizeError, userErrorMessages } from '@/lib/errors';
import { RefundRequestApproveMutation, RefundRequestDeclineMutation, RefundRequestRefundMutation } from '../api/mutations';
import { AdminRefundRequestsQuery } from '../api/queries';
import {
  parseRefundFilter,
  refundFilterToSearchParams,
  refundRequestsBefore,
  toRefundRequestFilter,
  type RefundFilterValue,
} from '../utils/refund-filter';

const PAGE_SIZE = 20;

const codec: UrlListCodec<RefundFilterValue> = {
  parse: parseRefundFilter,
  toParams: refundFilterToSearchParams,
  cursorOf: refundRequestsBefore,
};

type Outcome = { error?: Parameters<typeof normalizeError>[0]; userErrors?: readonly { code: string; message: string }[] };

function messagesOf({ error, userErrors }: Outcome): string[] {
  return error ? [describeError(normalizeError(error))] : userErrorMessages(userErrors ?? []);
}

/** Every refund request, newest first, filtered (all in the URL), and the decisions on them. */
export function useRefundRequests() {
  const list = useUrlList(codec);
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: AdminRefundRequestsQuery,
    variables: { last: PAGE_SIZE, before: list.cursor, filter: toRefundRequestFilter(list.filters) },
    requestPolicy: 'cache-and-network',
  });
  const [{ fetching: approving }, approveRequest] = useMutation(RefundRequestApproveMutation);
  const [{ fetching: refunding }, refundRequest] = useMutation(RefundRequestRefundMutation);
  const [{ fetching: declining }, declineRequest] = useMutation(RefundRequestDeclineMutation);
  const [actionErrors, setActionErrors] = useState<string[]>([]);

  const settle = useCallback(
    (outcome: Outcome) => {
      const messages = messagesOf(outcome);
      setActionErrors(messages);
      reexecute({ requestPolicy: 'network-only' });
      return messages.length === 0;
    },
    [reexecute],
  );
  const approve = useCallback(
    async (id: string) => {
      const result = await approveRequest({ id });
      return settle({ error: result.error, userErrors: result.data?.refundRequestApprove.userErrors });
    },
    [approveRequest, settle],
  );
  const refund = useCallback(
    async (id: string) => {
      const result = await refundRequest({ id });
      return settle({ error: result.error, userErrors: result.data?.refundRequestRefund.userErrors });
    },
    [refundRequest, settle],
  );
  const decline = useCallback(
    async (id: string, reason: string) => {
      const result = await declineRequest({ id, reason });
      return settle({ error: result.error, userErrors: result.data?.refundRequestDecline.userErrors });
    },
    [declineRequest, settle],
  );

  const connection = data?.refundRequests;
  const totalCount = connection?.totalCount ?? 0;
  return {
    requests: [...(connection?.edges ?? [])].reverse().map((edge) => edge.node),
    totalCount,
    fetching: fetching && !data,
    error,
    filter: list.filters,
    setFilter: list.setFilters,
    ...newestFirstPages(list, connection?.pageInfo, totalCount, PAGE_SIZE),
    approve,
    refund,
    decline,
    busy: approving || refunding || declining,
    actionErrors,
  };
}
