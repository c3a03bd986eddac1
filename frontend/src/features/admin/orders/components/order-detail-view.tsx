import { useState } from 'react';
import { App, Result } from 'antd';
import { Link } from 'react-router-dom';
import { orderStatus } from '@/components/order-status-tag';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useReturnLink } from '@/hooks/use-return-link';
import type { OrderStatus } from '@/gql/graphql';
import { useAdminOrder, type ActionOutcome } from '../hooks/use-admin-order';
import { AdminOrderDetail } from './order-detail';

export function AdminOrderDetailView({ id }: { id: string }) {
  const order = useAdminOrder(id);
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
        ← All orders
      </Link>
      <QueryState loadingLabel="Loading order" fetching={order.fetching} error={order.error}>
        {order.order ? (
          <AdminOrderDetail
            order={order.order}
            busy={order.busy}
            actionErrors={errors}
            onChangeStatus={(status: OrderStatus) =>
              void order.changeStatus(status).then((outcome) => after(outcome, `Order is now ${orderStatus[status].label.toLowerCase()}`))
            }
            onRefund={() => void order.refund().then((outcome) => after(outcome, 'Order refunded'))}
            onShip={async (parcel) => {
              const outcome = await order.ship(parcel);
              if (outcome.ok) after(outcome, 'Order shipped');
              return outcome.messages;
            }}
          />
        ) : (
          <Result status="404" title="No such order" />
        )}
      </QueryState>
    </>
  );
}
