import type { ReactNode } from 'react';
import { Button, Popconfirm } from 'antd';
import { Link } from 'react-router-dom';
import { OrderDetail as SharedOrderDetail } from '@/components/order-detail';
import { paths } from '@/config/paths';
import type { OrderDetailFragment } from '@/gql/graphql';
import { useTranslation } from 'react-i18next';

export interface OrderDetailProps {
  order: OrderDetailFragment;
  onCancel?: () => void;
  cancelling?: boolean;
  /** Why the last action failed. */
  actionErrors?: readonly string[];
  /** Shown under the heading, e.g. the payment step. */
  children?: ReactNode;
}

/** The shopper's own order: links to the products, the total under the lines, cancel while unpaid. */
export function OrderDetail({ order, onCancel, cancelling = false, actionErrors = [], children }: OrderDetailProps) {
  const { t } = useTranslation('shop');
  const canCancel = order.status === 'PENDING_PAYMENT' && onCancel !== undefined;
  return (
    <SharedOrderDetail
      order={order}
      actionErrors={actionErrors}
      renderProduct={(line) =>
        line.product ? <Link to={paths.product(line.product.id)}>{line.productName}</Link> : line.productName
      }
      showTotalRow
      factsFooter={
        canCancel && (
          <Popconfirm
            title={t('orders.cancelConfirm')}
            description={t('orders.cancelHint')}
            okText={t('orders.yesCancel')}
            cancelText={t('orders.keep')}
            onConfirm={onCancel}
          >
            <Button danger loading={cancelling} style={{ marginTop: 16 }}>
              {t('orders.cancel')}
            </Button>
          </Popconfirm>
        )
      }
    >
      {children}
    </SharedOrderDetail>
  );
}
