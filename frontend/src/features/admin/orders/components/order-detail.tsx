import { Card, Flex } from 'antd';
import { Link } from 'react-router-dom';
import { OrderDetail } from '@/components/order-detail';
import { RefundRequestTag } from '@/components/refund-request-tag';
import { paths } from '@/config/paths';
import type { AdminOrderDetailFragment, OrderStatus } from '@/gql/graphql';
import type { Parcel } from '../hooks/use-admin-order';
import { OrderActions } from './order-actions';
import { PaymentsTable } from './payments-table';

export interface AdminOrderDetailProps {
  order: AdminOrderDetailFragment;
  onChangeStatus: (status: OrderStatus) => void;
  onRefund: () => void;
  onShip?: (parcel: Parcel) => Promise<readonly string[]>;
  busy?: boolean;
  /** Why the last action changed nothing. */
  actionErrors?: readonly string[];
}

/** One order for an administrator: who, what, payments, history and the allowed next steps. */
export function AdminOrderDetail({
  order,
  onChangeStatus,
  onRefund,
  onShip,
  busy = false,
  actionErrors = [],
}: AdminOrderDetailProps) {
  const latestRefund = order.refundRequests.at(-1);
  return (
    <OrderDetail
      order={order}
      actionErrors={actionErrors}
      leadingFacts={[
        {
          key: 'shopper',
          label: 'Shopper',
          children: [order.user.displayName, order.user.email, order.user.phone].filter(Boolean).join(' · '),
        },
        ...(latestRefund
          ? [
              {
                key: 'refund',
                label: 'Refund request',
                children: (
                  <Link to={paths.admin.afterSales}>
                    <RefundRequestTag state={latestRefund.state} />
                  </Link>
                ),
              },
            ]
          : []),
      ]}
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
        <Flex vertical gap={12}>
          <OrderActions
            allowed={order.allowedTransitions}
            onChangeStatus={onChangeStatus}
            onRefund={onRefund}
            onShip={onShip}
            busy={busy}
          />
          <Link to={paths.admin.packingSlip(order.id)}>Packing slip</Link>
        </Flex>
      </Card>
    </OrderDetail>
  );
}
