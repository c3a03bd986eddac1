import { App as AntdApp } from 'antd';
import { useParams } from 'react-router-dom';
import { OrderDetailView } from '@/features/account/components/order-detail-view';
import { OrdersView } from '@/features/account/components/orders-view';
import { AccountView } from '@/features/account/components/account-view';
import { VerifyEmailView } from '@/features/account/components/verify-email-view';
import { AddressBookView } from '@/features/addresses/components/address-book-view';
import { AddressPicker } from '@/features/addresses/components/address-picker';
import { OrderStatusFollower } from '@/features/payment/components/order-status-follower';
import { PaymentStepView } from '@/features/payment/components/payment-step-view';
import { RequireAuth } from './require-auth';
import { useTranslation } from 'react-i18next';

export function VerifyEmailRoute() {
  return <VerifyEmailView />;
}

// antd's App (the context of App.useApp()'s messages) for the pages that show them; the shell
// leaves it out (src/app/provider.tsx).
export function AccountRoute() {
  const { t } = useTranslation('shop');
  return (
    <RequireAuth title={t('titles.account')}>
      <AntdApp component={false}>
        <AccountView />
      </AntdApp>
    </RequireAuth>
  );
}

export function AddressesRoute() {
  const { t } = useTranslation('shop');
  return (
    <RequireAuth title={t('titles.addresses')}>
      <AntdApp component={false}>
        <AddressBookView />
      </AntdApp>
    </RequireAuth>
  );
}

export function OrdersRoute() {
  const { t } = useTranslation('shop');
  return (
    <RequireAuth title={t('titles.orders')}>
      <OrdersView />
    </RequireAuth>
  );
}

export function OrderRoute() {
  const { t } = useTranslation('shop');
  const { orderId = '' } = useParams();
  return (
    <RequireAuth title={t('titles.order')}>
      <OrderDetailView
        key={orderId}
        orderId={orderId}
        renderExtra={(order, refetch) =>
          order.status === 'PENDING_PAYMENT' ? (
            <PaymentStepView
              orderId={order.id}
              status={order.status}
              expiresAt={order.expiresAt ?? null}
              onStatusChange={refetch}
              needsAddress={!order.shippingAddress}
              renderAddressPicker={(value, onChange) => <AddressPicker value={value} onChange={onChange} />}
            />
          ) : order.status === 'PAID' ? (
            // Paid, so shipping comes next: the page follows it without a reload.
            <OrderStatusFollower orderId={order.id} status={order.status} onStatusChange={refetch} />
          ) : null
        }
      />
    </RequireAuth>
  );
}
