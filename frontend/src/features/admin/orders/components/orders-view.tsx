import { Typography } from 'antd';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { useReturnState } from '@/hooks/use-return-link';
import { useAdminOrders } from '../hooks/use-admin-orders';
import { OrderFilters } from './order-filters';
import { OrdersTable } from './orders-table';

export function AdminOrdersView() {
  const orders = useAdminOrders();
  const returnState = useReturnState();
  return (
    <>
      <Typography.Title level={2}>Orders</Typography.Title>
      <OrderFilters value={orders.filter} onChange={orders.setFilter} />
      <QueryState
        loadingLabel="Loading orders"
        fetching={orders.fetching}
        error={orders.error}
        isEmpty={orders.orders.length === 0}
        emptyDescription="No orders match these filters"
      >
        <Typography.Paragraph type="secondary">{orders.totalCount === 1 ? '1 order' : `${String(orders.totalCount)} orders`}, newest first</Typography.Paragraph>
        <OrdersTable orders={orders.orders} linkState={returnState} />
        <Pager
          label="Order pages"
          page={orders.page}
          pageCount={orders.pageCount}
          hasPrevious={orders.hasNewer}
          hasNext={orders.hasOlder}
          onPrevious={orders.newer}
          onNext={orders.older}
        />
      </QueryState>
    </>
  );
}
