import type { ReactNode } from 'react';
import { Result } from '@/components/result';
import { Link } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import type { OrderDetailFragment } from '@/gql/graphql';
import { useOrder } from '../hooks/use-order';
import { OrderDetail } from './order-detail';
import { RefundRequestPanel } from './refund-request-panel';
import { useTranslation } from 'react-i18next';

export interface OrderDetailViewProps {
  orderId: string;
  /** Composed in by the app, e.g. the payment step for an unpaid order. */
  renderExtra?: (order: OrderDetailFragment, refetch: () => void) => ReactNode;
}

export function OrderDetailView({ orderId, renderExtra }: OrderDetailViewProps) {
  const { order, fetching, error, cancel, cancelling, actionErrors, refetch, requestRefund, addReturnTracking, refundBusy } =
    useOrder(orderId);
  const { t } = useTranslation('shop');
  return (
    <QueryState loadingLabel={t('orders.loadingOne')} fetching={fetching && !order} error={error}>
      {order ? (
        <OrderDetail order={order} onCancel={() => void cancel()} cancelling={cancelling} actionErrors={actionErrors}>
          {renderExtra?.(order, refetch)}
          <RefundRequestPanel
            status={order.status}
            requests={order.refundRequests}
            busy={refundBusy}
            onRequest={requestRefund}
            onAddTracking={addReturnTracking}
          />
        </OrderDetail>
      ) : (
        <Result
          status="404"
          title={t('orders.notFound')}
          subTitle={t('orders.notFoundHint')}
          extra={<Link to={paths.orders}>{t('account.seeOrders')}</Link>}
        />
      )}
    </QueryState>
  );
}
