import type { OrderFilter, OrderStatus } from '@/gql/graphql';
import { dayRange, orderedDays, parseDay } from '@/utils/days';

/** What the admin chose above the orders table; dates are calendar days (YYYY-MM-DD, local). */
export interface OrdersFilterValue {
  status: OrderStatus | null;
  number: string;
  userEmail: string;
  /** First and last day placed, both included. */
  placedFrom: string | null;
  placedTo: string | null;
}

export const noFilter: OrdersFilterValue = { status: null, number: '', userEmail: '', placedFrom: null, placedTo: null };

/** The API's `OrderFilter`: blank fields left out, the last day made an exclusive upper bound. */
export function toOrderFilter(value: OrdersFilterValue): OrderFilter | null {
  const filter: OrderFilter = {};
  if (value.status) filter.status = value.status;
  if (value.number.trim()) filter.number = value.number.trim();
  if (value.userEmail.trim()) filter.userEmail = value.userEmail.trim();
  Object.assign(filter, dayRange(value.placedFrom, value.placedTo));
  return Object.keys(filter).length ? filter : null;
}

// The filters' place in the URL ("/admin/orders?status=paid&email=ann&from=2026-11-01"), so a
// filtered list can be shared and the way back from an order returns to it.
const known: Record<OrderStatus, true> = {
  PENDING_PAYMENT: true,
  PAID: true,
  SHIPPED: true,
  COMPLETED: true,
  CANCELLED: true,
  EXPIRED: true,
  REFUNDED: true,
};
const statuses = Object.keys(known) as OrderStatus[];
const keys = { status: 'status', number: 'number', email: 'email', from: 'from', to: 'to', before: 'before' };
const MAX_TEXT = 200;

/** The filters a URL asks for; unknown or malformed values are ignored, never an error. */
export function parseOrdersFilter(params: URLSearchParams): OrdersFilterValue {
  const status = params.get(keys.status)?.toUpperCase();
  const [placedFrom, placedTo] = orderedDays(parseDay(params.get(keys.from)), parseDay(params.get(keys.to)));
  return {
    status: statuses.find((value) => value === status) ?? null,
    number: (params.get(keys.number) ?? '').trim().slice(0, MAX_TEXT),
    userEmail: (params.get(keys.email) ?? '').trim().slice(0, MAX_TEXT),
    placedFrom,
    placedTo,
  };
}

/** The URL for `value` (blank fields left out, in a stable order), optionally on the page before `before`. */
export function ordersFilterToSearchParams(value: OrdersFilterValue, before: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  if (value.status) params.set(keys.status, value.status.toLowerCase());
  if (value.number.trim()) params.set(keys.number, value.number.trim());
  if (value.userEmail.trim()) params.set(keys.email, value.userEmail.trim());
  if (value.placedFrom) params.set(keys.from, value.placedFrom);
  if (value.placedTo) params.set(keys.to, value.placedTo);
  if (before) params.set(keys.before, before);
  return params;
}

/** The page cursor in the URL (null: the newest page). */
export function ordersBefore(params: URLSearchParams): string | null {
  return params.get(keys.before) || null;
}
