import { useQuery } from 'urql';
import { newestFirstPages, useUrlList, type UrlListCodec } from '@/hooks/use-url-list';
import { AdminOrdersQuery } from '../api/queries';
import {
  ordersBefore,
  ordersFilterToSearchParams,
  parseOrdersFilter,
  toOrderFilter,
  type OrdersFilterValue,
} from '../utils/order-filter';

const PAGE_SIZE = 20;

const codec: UrlListCodec<OrdersFilterValue> = {
  parse: parseOrdersFilter,
  toParams: ordersFilterToSearchParams,
  cursorOf: ordersBefore,
};

/** Every order, newest first (pages walk back in time from the newest), filtered; all in the URL. */
export function useAdminOrders() {
  // The cursor is the `before` of the page: null is the newest page.
  const list = useUrlList(codec);
  const [{ data, fetching, error }] = useQuery({
    query: AdminOrdersQuery,
    variables: { last: PAGE_SIZE, before: list.cursor, filter: toOrderFilter(list.filters) },
    requestPolicy: 'cache-and-network',
  });
  const connection = data?.orders;
  const totalCount = connection?.totalCount ?? 0;
  return {
    orders: [...(connection?.edges ?? [])].reverse().map((edge) => edge.node),
    totalCount,
    fetching: fetching && !data,
    error,
    filter: list.filters,
    setFilter: list.setFilters,
    ...newestFirstPages(list, connection?.pageInfo, totalCount, PAGE_SIZE),
  };
}
