import { Flex, Typography } from 'antd';
import type { OrderStatus } from '@/gql/graphql';
import { OrderStatusTag } from './order-status-tag';

/** An order page's title with its status beside it, the same in the shop and the console. */
export function OrderHeading({ number, status }: { number: string; status: OrderStatus }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        Order {number}
      </Typography.Title>
      <span aria-label="Order status">
        <OrderStatusTag status={status} />
      </span>
    </Flex>
  );
}
