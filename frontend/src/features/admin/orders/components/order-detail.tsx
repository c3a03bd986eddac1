import { Card } from 'antd';
import { OrderDetail } from '@/components/order-detail';
import type { AdminOrderDetailFragment, OrderStatus } from '@/gql/graphql';
import { OrderActions } from './order-actions';
import { PaymentsTable } from './payments-table';

export interface AdminOrderDetailProps {
  order: AdminOrderDetailFragment;
  onChangeStatus: (status: OrderStatus) => void;
  onRefund: () => void;
  busy?: boolean;
  /** Why the last action changed nothing. */
  actionErrors?: readonly string[];
}

/** One order for an administrator: who, what, payments, history and the allowed next steps. */
export function AdminOrderDetail({ order, onChangeStatus, onRefund, busy = false, actionErrors = [] }: AdminOrderDetailProps) {
  return (
    <OrderDetail
      order={order}
      actionErrors={actionErrors}
      leadingFacts={[{ key: 'shopper', label: 'Shopper', children: order.user.email }]}
      unpaidText="Not paid"
      expiresLabel="Expires"
      trailingFacts={[{ key: 'source', label: 'Source', children: order.seckillEvent ? 'Flash sale' : 'Cart checkout' }]}
      afterLines={
        <Card title="Payments">
          <PaymentsTable payments={order.payments} />
        </Card>
      }
      showPreviousStatus
    >
      <Card title="Actions">
        <OrderActions allowed={order.allowedTransitions} onChangeStatus={onChangeStatus} onRefund={onRefund} busy={busy} />
      </Card>
    </OrderDetail>
  );
}
