import { Tag } from 'antd';
import { graphql } from '@/gql';
import type { RefundRequestState, RefundType } from '@/gql/graphql';

/** What the shop's order page and the console's after-sales list show of a refund request. */
export const RefundRequestFieldsFragment = graphql(`
  fragment RefundRequestFields on RefundRequest {
    id
    type
    state
    reason
    returnTrackingNumber
    declineReason
    createdAt
    decidedAt
    refundedAt
  }
`);

/** One word and colour per request state, the same in the shop and the console. */
export const refundRequestState: Record<RefundRequestState, { label: string; color: string }> = {
  REQUESTED: { label: 'Requested', color: 'gold' },
  APPROVED: { label: 'Return approved', color: 'blue' },
  REFUNDED: { label: 'Refunded', color: 'purple' },
  DECLINED: { label: 'Declined', color: 'red' },
};

export const refundType: Record<RefundType, string> = {
  REFUND: 'Refund',
  RETURN_AND_REFUND: 'Return and refund',
};

export function RefundRequestTag({ state }: { state: RefundRequestState }) {
  const { label, color } = refundRequestState[state];
  return (
    <Tag color={color} data-state={state}>
      {label}
    </Tag>
  );
}
