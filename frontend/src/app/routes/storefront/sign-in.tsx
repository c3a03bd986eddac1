// The signed-out pages, apart from account.tsx: signing in does not load the account's orders,
// payment and address pages.
import { ForgotPasswordView, ResetPasswordView } from '@/features/account/components/password-reset-views';
import { RegisterView, SignInView } from '@/features/account/components/sign-in-view';

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
