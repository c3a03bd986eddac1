import { useState } from 'react';
import { App, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useReturnLink } from '@/hooks/use-return-link';
import type { OrderStatus } from '@/gql/graphql';
import { useAdminOrder, type ActionOutcome } from '../hooks/use-admin-order';
import { AdminOrderDetail } from './order-detail';

export function AdminOrderDetailView({ id }: { id: string }) {
  const order = useAdminOrder(id);
  const { t } = useTranslation('console');
  const { message } = App.useApp();
  const [errors, setErrors] = useState<string[]>([]);
  const back = useReturnLink(paths.admin.orders);

  const after = (outcome: ActionOutcome, done: string) => {
    setErrors(outcome.messages);
    if (outcome.ok) void message.success(done);
  };

  return (
    <>
      <Link to={back.to} state={back.state}>
        {t('order.allOrders')}
      </Link>
      <QueryState loadingLabel={t('order.loading')} fetching={order.fetching} error={order.error}>
        {order.order ? (
          <AdminOrderDetail
            order={order.order}
            busy={order.busy}
            actionErrors={errors}
            onChangeStatus={(status: OrderStatus) =>
              void order
                .changeStatus(status)
                .then((outcome) =>
                  after(outcome, t('order.nowStatus', { status: t(`orderStatus.${status}`).toLowerCase() })),
                )
            }
            onRefund={() => void order.refund().then((outcome) => after(outcome, t('order.refunded')))}
            onShip={async (parcel) => {
              const outcome = await order.ship(parcel);
              if (outcome.ok) after(outcome, t('order.shipped'));
              return outcome.messages;
            }}
          />
        ) : (
          <Result status="404" title={t('order.notFound')} />
        )}
      </QueryState>
    </>
  );
}
