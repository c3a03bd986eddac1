import { useSearchParams } from 'react-router-dom';
import { AddressPicker } from '@/features/addresses/components/address-picker';
import { CheckoutReviewView } from '@/features/checkout/components/checkout-review-view';
import { RequireAuth } from './require-auth';
import { useTranslation } from 'react-i18next';

/** `/checkout` reviews the cart; `/checkout?product=<id>&quantity=<n>` a "buy now". */
export function CheckoutRoute() {
  const { t } = useTranslation('shop');
  const [params] = useSearchParams();
  const productId = params.get('product');
  const quantity = Math.max(1, Number.parseInt(params.get('quantity') ?? '1', 10) || 1);
  return (
    <RequireAuth title={t('titles.checkout')}>
      <CheckoutReviewView
        key={`${productId ?? 'cart'}-${quantity}`}
        productId={productId}
        quantity={quantity}
        renderAddressPicker={(value, onChange) => <AddressPicker value={value} onChange={onChange} />}
      />
    </RequireAuth>
  );
}
