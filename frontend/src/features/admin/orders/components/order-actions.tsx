import { Button, Popconfirm, Space, Typography } from 'antd';
import { orderStatus } from '@/components/order-status-tag';
import type { OrderStatus } from '@/gql/graphql';
import type { Parcel } from '../hooks/use-admin-order';
import { ShipDialog } from './ship-dialog';

interface Action {
  label: string;
  confirm: string;
  description: string;
  danger?: boolean;
}

// Wording only: which statuses are offered comes from the API (`allowedTransitions`).
const actions: Partial<Record<OrderStatus, Action>> = {
  SHIPPED: { label: 'Mark as shipped', confirm: 'Mark this order as shipped?', description: 'It can no longer be refunded.' },
  COMPLETED: { label: 'Mark as completed', confirm: 'Mark this order as completed?', description: 'This is its final status.' },
  CANCELLED: {
    label: 'Cancel order',
    confirm: 'Cancel this order?',
    description: 'Its units go back on sale; the shopper can no longer pay it.',
    danger: true,
  },
  REFUNDED: {
    label: 'Refund',
    confirm: 'Refund this order?',
    description: 'The money goes back through the payment provider and the units go back on sale.',
    danger: true,
  },
};

function actionFor(status: OrderStatus): Action {
  const label = orderStatus[status].label;
  return actions[status] ?? { label: `Set to ${label}`, confirm: `Set this order to ${label}?`, description: '' };
}

export interface OrderActionsProps {
  /** The statuses the state machine allows an administrator to move this order to. */
  allowed: readonly OrderStatus[];
  /** A status change through `orderStatusUpdate`. */
  onChangeStatus: (status: OrderStatus) => void;
  /** A refund through `orderRefund` (offered when REFUNDED is allowed). */
  onRefund: () => void;
  /** Shipping with carrier and tracking number (`orderShip`); when given, SHIPPED opens its dialog. */
  onShip?: (parcel: Parcel) => Promise<readonly string[]>;
  busy?: boolean;
}

/** One button per allowed next status, each asking for confirmation first. */
export function OrderActions({ allowed, onChangeStatus, onRefund, onShip, busy = false }: OrderActionsProps) {
  if (allowed.length === 0) {
    return <Typography.Text type="secondary">No further status changes are possible for this order.</Typography.Text>;
  }
  return (
    <Space wrap role="group" aria-label="Order actions">
      {allowed.map((status) => {
        if (status === 'SHIPPED' && onShip) return <ShipDialog key={status} busy={busy} onShip={onShip} />;
        const action = actionFor(status);
        return (
          <Popconfirm
            key={status}
            title={action.confirm}
            description={action.description || undefined}
            okText={`Yes, ${action.label.toLowerCase()}`}
            okButtonProps={{ danger: action.danger }}
            cancelText="Keep as is"
            onConfirm={() => (status === 'REFUNDED' ? onRefund() : onChangeStatus(status))}
          >
            <Button danger={action.danger} loading={busy}>
              {action.label}
            </Button>
          </Popconfirm>
        );
      })}
    </Space>
  );
}
