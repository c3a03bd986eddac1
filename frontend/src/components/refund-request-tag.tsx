import { Tag } from 'antd';
import { graphql } from '@/gql';
import type { RefundRequestState, RefundType } from '@/gql/graphql';
import { useTranslation } from 'react-i18next';
import { i18n } from '@/lib/i18n';

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
const stateColors: Record<RefundRequestState, string> = {
  REQUESTED: 'gold',
  APPROVED: 'blue',
  REFUNDED: 'purple',
  DECLINED: 'red',
};

/** Labels are read when used, so they are in the page's current language. */
export const refundRequestState = Object.fromEntries(
  (Object.keys(stateColors) as RefundRequestState[]).map((state) => [
    state,
    {
      get label() {
        return i18n.t(`refundState.${state}`);
      },
      color: stateColors[state],
    },
  ]),
) as Record<RefundRequestState, { readonly label: string; color: string }>;

export const refundType: Readonly<Record<RefundType, string>> = {
  get REFUND() {
    return i18n.t('refundType.REFUND');
  },
  get RETURN_AND_REFUND() {
    return i18n.t('refundType.RETURN_AND_REFUND');
  },
};

export function RefundRequestTag({ state }: { state: RefundRequestState }) {
  useTranslation();
  const { label, color } = refundRequestState[state];
  return (
    <Tag color={color} data-state={state}>
      {label}
    </Tag>
  );
}
