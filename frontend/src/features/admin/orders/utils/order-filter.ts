import type { OrderFilter, OrderStatus } from '@/gql/graphql';

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

function startOfLocalDay(day: string): Date {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}

/** The API's `OrderFilter`: blank fields left out, the last day made an exclusive upper bound. */
export function toOrderFilter(value: OrdersFilterValue): OrderFilter | null {
  const filter: OrderFilter = {};
  if (value.status) filter.status = value.status;
  if (value.number.trim()) filter.number = value.number.trim();
  if (value.userEmail.trim()) filter.userEmail = value.userEmail.trim();
  if (value.placedFrom) filter.createdFrom = startOfLocalDay(value.placedFrom).toISOString();
  if (value.placedTo) {
    const next = startOfLocalDay(value.placedTo);
    next.setDate(next.getDate() + 1);
    filter.createdTo = next.toISOString();
  }
  return Object.keys(filter).length ? filter : null;
}
