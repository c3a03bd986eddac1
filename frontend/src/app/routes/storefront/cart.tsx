import { CartView } from '@/features/cart/components/cart-view';
import { CheckoutButton } from '@/features/checkout/components/checkout-button';
import { RequireAuth } from './require-auth';

export function CartRoute() {
  return (
    <RequireAuth title="Your cart">
      <CartView checkout={<CheckoutButton />} />
    </RequireAuth>
  );
}
