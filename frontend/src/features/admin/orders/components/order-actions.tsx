import { Button, Popconfirm, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
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
const actions = {
  SHIPPED: { key: 'shipped' },
  COMPLETED: { key: 'completed' },
  CANCELLED: { key: 'cancel', danger: true },
  REFUNDED: { key: 'refund', danger: true },
} as const satisfies Partial<Record<OrderStatus, { key: string; danger?: boolean }>>;

function actionFor(status: OrderStatus, t: TFunction<'console'>): Action {
  if (status in actions) {
    const { key, ...rest } = actions[status as keyof typeof actions];
    return {
      label: t(`orderActions.${key}Label`),
      confirm: t(`orderActions.${key}Confirm`),
      description: t(`orderActions.${key}Description`),
      ...rest,
    };
  }
  const label = t(`orderStatus.${status}`);
  return {
    label: t('orderActions.setLabel', { status: label }),
    confirm: t('orderActions.setConfirm', { status: label }),
    description: '',
  };
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
  const { t } = useTranslation('console');
  if (allowed.length === 0) {
    return <Typography.Text type="secondary">{t('orderActions.none')}</Typography.Text>;
  }
  return (
    <Space wrap role="group" aria-label={t('orderActions.label')}>
      {allowed.map((status) => {
        if (status === 'SHIPPED' && onShip) return <ShipDialog key={status} busy={busy} onShip={onShip} />;
        const action = actionFor(status, t);
        return (
          <Popconfirm
            key={status}
            title={action.confirm}
            description={action.description || undefined}
            okText={t('orderActions.yes', { action: action.label.toLowerCase() })}
            okButtonProps={{ danger: action.danger }}
            cancelText={t('orderActions.keep')}
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
