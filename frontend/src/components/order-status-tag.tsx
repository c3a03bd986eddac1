import { Tag } from 'antd';
import type { OrderStatus } from '@/gql/graphql';
import { useTranslation } from 'react-i18next';
import { i18n } from '@/lib/i18n';

/** One word and colour per order status, the same in the shop and the console. */
const colors: Record<OrderStatus, string> = {
  PENDING_PAYMENT: 'gold',
  PAID: 'green',
  SHIPPED: 'blue',
  COMPLETED: 'cyan',
  CANCELLED: 'default',
  EXPIRED: 'default',
  REFUNDED: 'purple',
};

/** The label is read when used, so it is in the page's current language. */
export const orderStatus = Object.fromEntries(
  (Object.keys(colors) as OrderStatus[]).map((status) => [
    status,
    {
      get label() {
        return i18n.t(`orderStatus.${status}`);
      },
      color: colors[status],
    },
  ]),
) as Record<OrderStatus, { readonly label: string; color: string }>;

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  useTranslation();
  const { label, color } = orderStatus[status];
  return (
    <Tag color={color} data-status={status}>
      {label}
    </Tag>
  );
}
