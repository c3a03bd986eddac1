import { CartView } from '@/features/cart/components/cart-view';
import { ReviewCartButton } from '@/features/checkout/components/review-links';
import { RequireAuth } from './require-auth';

export function CartRoute() {
  return (
    <RequireAuth title="Your cart">
      <CartView checkout={<ReviewCartButton />} />
    </RequireAuth>
  );
}
