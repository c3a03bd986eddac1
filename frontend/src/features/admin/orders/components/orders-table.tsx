import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { OrderStatusTag } from '@/components/order-status-tag';
import { paths } from '@/config/paths';
import type { AdminOrdersQuery } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';

export type OrderRow = AdminOrdersQuery['orders']['edges'][number]['node'];

/** Orders, newest first, each number linking to its detail page. */
export function OrdersTable({ orders, linkState }: { orders: readonly OrderRow[]; linkState?: unknown }) {
  const { t } = useTranslation('console');
  return (
    <Table<OrderRow>
      rowKey="id"
      dataSource={[...orders]}
      pagination={false}
      aria-label={t('orders.table.label')}
      scroll={{ x: 'max-content' }}
      columns={[
        {
          title: t('orders.table.number'),
          key: 'number',
          render: (_, order) => (
            <Link to={paths.admin.order(order.id)} state={linkState}>
              {order.number}
            </Link>
          ),
        },
        { title: t('orders.table.placed'), key: 'placed', render: (_, order) => formatDateTime(order.createdAt) },
        { title: t('orders.table.shopper'), key: 'shopper', render: (_, order) => order.user.email },
        {
          title: t('orders.table.items'),
          key: 'items',
          align: 'right',
          render: (_, order) => order.lines.reduce((sum, line) => sum + line.quantity, 0),
        },
        { title: t('orders.table.total'), key: 'total', align: 'right', render: (_, order) => formatMoney(order.total) },
        { title: t('orders.table.status'), key: 'status', render: (_, order) => <OrderStatusTag status={order.status} /> },
      ]}
    />
  );
}
