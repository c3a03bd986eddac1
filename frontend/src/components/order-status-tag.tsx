import { Tag } from 'antd';
import type { OrderStatus } from '@/gql/graphql';

/** One word and colour per order status, the same in the shop and the console. */
export const orderStatus: Record<OrderStatus, { label: string; color: string }> = {
  PENDING_PAYMENT: { label: 'Pending payment', color: 'gold' },
  PAID: { label: 'Paid', color: 'green' },
  SHIPPED: { label: 'Shipped', color: 'blue' },
  COMPLETED: { label: 'Completed', color: 'cyan' },
  CANCELLED: { label: 'Cancelled', color: 'default' },
  EXPIRED: { label: 'Expired', color: 'default' },
  REFUNDED: { label: 'Refunded', color: 'purple' },
};

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const { label, color } = orderStatus[status];
  return (
    <Tag color={color} data-status={status}>
      {label}
    </Tag>
  );
}
