import { Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useTranslation } from 'react-i18next';

/** The cart's "Checkout": on to the review, where the shopper picks the address and confirms. */
export function ReviewCartButton({ disabled = false }: { disabled?: boolean }) {
  const { t } = useTranslation('shop');
  const navigate = useNavigate();
  return (
    <Button type="primary" size="large" disabled={disabled} onClick={() => void navigate(paths.checkout)}>
      {t('checkout.checkout')}
    </Button>
  );
}

/** The product page's "Buy now": the same review, for this product only (the cart is left alone). */
export function BuyNowButton({ productId, disabled = false }: { productId: string; disabled?: boolean }) {
  const { t } = useTranslation('shop');
  const navigate = useNavigate();
  return (
    <Button size="large" disabled={disabled} onClick={() => void navigate(paths.buyNow(productId))}>
      {t('checkout.buyNow')}
    </Button>
  );
}
