import { CartView } from '@/features/cart/components/cart-view';
import { ReviewCartButton } from '@/features/checkout/components/review-links';
import { RequireAuth } from './require-auth';
import { useTranslation } from 'react-i18next';

export function CartRoute() {
  const { t } = useTranslation('shop');
  return (
    <RequireAuth title={t('titles.cart')}>
      <CartView checkout={<ReviewCartButton />} />
    </RequireAuth>
  );
}
