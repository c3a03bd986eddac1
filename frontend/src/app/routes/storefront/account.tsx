import { useParams } from 'react-router-dom';
import { OrderDetailView } from '@/features/account/components/order-detail-view';
import { OrdersView } from '@/features/account/components/orders-view';
import { ForgotPasswordView, ResetPasswordView } from '@/features/account/components/password-reset-views';
import { AccountView } from '@/features/account/components/account-view';
import { RegisterView, SignInView } from '@/features/account/components/sign-in-view';
import { VerifyEmailView } from '@/features/account/components/verify-email-view';
import { PaymentStepView } from '@/features/payment/components/payment-step-view';
import { RequireAuth } from './require-auth';

export function SignInRoute() {
  return <SignInView />;
}

export function RegisterRoute() {
  return <RegisterView />;
}

export function ForgotPasswordRoute() {
  return <ForgotPasswordView />;
}

export function ResetPasswordRoute() {
  return <ResetPasswordView />;
}

export function VerifyEmailRoute() {
  return <VerifyEmailView />;
}

export function AccountRoute() {
  return (
    <RequireAuth title="Your account">
      <AccountView />
    </RequireAuth>
  );
}

export function OrdersRoute() {
  return (
    <RequireAuth title="Your orders">
      <OrdersView />
    </RequireAuth>
  );
}

export function OrderRoute() {
  const { orderId = '' } = useParams();
  return (
    <RequireAuth title="Your order">
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
            />
          ) : null
        }
      />
    </RequireAuth>
  );
}
