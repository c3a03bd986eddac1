import { Table } from 'antd';
import { Link } from 'react-router-dom';
import { OrderStatusTag } from '@/components/order-status-tag';
import { paths } from '@/config/paths';
import type { AdminOrdersQuery } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';

export type OrderRow = AdminOrdersQuery['orders']['edges'][number]['node'];

/** Orders, newest first, each number linking to its detail page. */
export function OrdersTable({ orders, linkState }: { orders: readonly OrderRow[]; linkState?: unknown }) {
  return (
    <Table<OrderRow>
      rowKey="id"
      dataSource={[...orders]}
      pagination={false}
      aria-label="Orders"
      scroll={{ x: 'max-content' }}
      columns={[
        {
          title: 'Number',
          key: 'number',
          render: (_, order) => (
            <Link to={paths.admin.order(order.id)} state={linkState}>
              {order.number}
            </Link>
          ),
        },
        { title: 'Placed', key: 'placed', render: (_, order) => formatDateTime(order.createdAt) },
        { title: 'Shopper', key: 'shopper', render: (_, order) => order.user.email },
        {
          title: 'Items',
          key: 'items',
          align: 'right',
          render: (_, order) => order.lines.reduce((sum, line) => sum + line.quantity, 0),
        },
        { title: 'Total', key: 'total', align: 'right', render: (_, order) => formatMoney(order.total) },
        { title: 'Status', key: 'status', render: (_, order) => <OrderStatusTag status={order.status} /> },
      ]}
    />
  );
}
