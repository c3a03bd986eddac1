import { Flex, Typography } from 'antd';
import type { OrderStatus } from '@/gql/graphql';
import { OrderStatusTag } from './order-status-tag';
import { useTranslation } from 'react-i18next';

/** An order page's title with its status beside it, the same in the shop and the console. */
export function OrderHeading({ number, status }: { number: string; status: OrderStatus }) {
  const { t } = useTranslation();
  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('order.heading', { number })}
      </Typography.Title>
      <span aria-label={t('order.status')}>
        <OrderStatusTag status={status} />
      </span>
    </Flex>
  );
}
