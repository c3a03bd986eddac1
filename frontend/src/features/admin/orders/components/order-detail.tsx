import { Card, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('console');
  const latestRefund = order.refundRequests.at(-1);
  return (
    <OrderDetail
      order={order}
      actionErrors={actionErrors}
      leadingFacts={[
        {
          key: 'shopper',
          label: t('order.shopper'),
          children: [order.user.displayName, order.user.email, order.user.phone].filter(Boolean).join(' · '),
        },
        ...(latestRefund
          ? [
              {
                key: 'refund',
                label: t('order.refundRequest'),
                children: (
                  <Link to={paths.admin.afterSales}>
                    <RefundRequestTag state={latestRefund.state} />
                  </Link>
                ),
              },
            ]
          : []),
      ]}
      unpaidText={t('order.notPaid')}
      expiresLabel={t('order.expires')}
      trailingFacts={[
        {
          key: 'source',
          label: t('order.source'),
          children: order.seckillEvent ? t('order.fromFlashSale') : t('order.fromCart'),
        },
      ]}
      afterLines={
        <Card title={t('order.payments')}>
          <PaymentsTable payments={order.payments} />
        </Card>
      }
      showPreviousStatus
    >
      <Card title={t('order.actions')}>
        <Flex vertical gap={12}>
          <OrderActions
            allowed={order.allowedTransitions}
            onChangeStatus={onChangeStatus}
            onRefund={onRefund}
            onShip={onShip}
            busy={busy}
          />
          <Link to={paths.admin.packingSlip(order.id)}>{t('order.packingSlip')}</Link>
        </Flex>
      </Card>
    </OrderDetail>
  );
}
