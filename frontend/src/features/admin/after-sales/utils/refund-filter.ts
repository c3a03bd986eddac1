import type { RefundRequestFilter, RefundRequestState, RefundType } from '@/gql/graphql';
import { dayRange, orderedDays, parseDay } from '@/utils/days';

/** What the admin chose above the after-sales table; dates are calendar days (YYYY-MM-DD, local). */
export interface RefundFilterValue {
  state: RefundRequestState | null;
  type: RefundType | null;
  /** First and last day asked, both included. */
  from: string | null;
  to: string | null;
}

export const noRefundFilter: RefundFilterValue = { state: null, type: null, from: null, to: null };

const states: readonly RefundRequestState[] = ['REQUESTED', 'APPROVED', 'REFUNDED', 'DECLINED'];
const types: readonly RefundType[] = ['REFUND', 'RETURN_AND_REFUND'];

/** The API's filter: blanks left out, the last day made an exclusive upper bound. */
export function toRefundRequestFilter(value: RefundFilterValue): RefundRequestFilter | null {
  const filter: RefundRequestFilter = {};
  if (value.state) filter.state = value.state;
  if (value.type) filter.type = value.type;
  Object.assign(filter, dayRange(value.from, value.to));
  return Object.keys(filter).length ? filter : null;
}

/** The filters a URL asks for ("?state=requested&type=refund&from=2026-12-01"); junk is ignored. */
export function parseRefundFilter(params: URLSearchParams): RefundFilterValue {
  const state = params.get('state')?.toUpperCase();
  const type = params.get('type')?.toUpperCase();
  const [from, to] = orderedDays(parseDay(params.get('from')), parseDay(params.get('to')));
  return {
    state: states.find((s) => s === state) ?? null,
    type: types.find((t) => t === type) ?? null,
    from,
    to,
  };
}

export function refundFilterToSearchParams(value: RefundFilterValue, before: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  if (value.state) params.set('state', value.state.toLowerCase());
  if (value.type) params.set('type', value.type.toLowerCase());
  if (value.from) params.set('from', value.from);
  if (value.to) params.set('to', value.to);
  if (before) params.set('before', before);
  return params;
}

export function refundRequestsBefore(params: URLSearchParams): string | null {
  return params.get('before') || null;
}
