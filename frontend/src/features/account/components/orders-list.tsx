import { Card, Flex, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { OrderStatusTag } from '@/components/order-status-tag';
import { paths } from '@/config/paths';
import type { OrderSummaryFragment } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { useTranslation } from 'react-i18next';

export function OrdersList({ orders }: { orders: OrderSummaryFragment[] }) {
  const { t } = useTranslation(['shop', 'common']);
  return (
    <ul aria-label={t('orders.list')} style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 12 }}>
      {orders.map((order) => {
        const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
        return (
          <li key={order.id}>
            <Card size="small">
              <Flex justify="space-between" align="center" wrap gap={8}>
                <div>
                  <Link to={paths.order(order.id)} style={{ fontWeight: 600 }}>
                    {t('common:order.heading', { number: order.number })}
                  </Link>
                  <br />
                  <Typography.Text type="secondary">
                    <time dateTime={order.createdAt}>{formatDateTime(order.createdAt)}</time> ·{' '}
                    {t('orders.units', { count: units })}
                  </Typography.Text>
                </div>
                <Flex align="center" gap={12}>
                  <OrderStatusTag status={order.status} />
                  <Typography.Text strong>{formatMoney(order.total)}</Typography.Text>
                </Flex>
              </Flex>
            </Card>
          </li>
        );
      })}
    </ul>
  );
}
