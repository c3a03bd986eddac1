import { useMemo, useState, type ReactNode } from 'react';
import { Result } from '@/components/result';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { CheckoutPreviewQuery } from '../api/queries';
import type { BuyNow } from '../hooks/use-checkout';
import { CheckoutButton } from './checkout-button';
import { CheckoutReview } from './checkout-review';
import { useTranslation } from 'react-i18next';

export interface CheckoutReviewViewProps {
  /** Review a "buy now" of one product; the cart otherwise. */
  productId?: string | null;
  quantity?: number;
  /** Composed in by the app: the address picker of the address book. */
  renderAddressPicker: (value: string | null, onChange: (addressId: string) => void) => ReactNode;
}

/** The checkout review page: what the order holds and costs, where it ships, and Confirm. */
export function CheckoutReviewView({ productId = null, quantity = 1, renderAddressPicker }: CheckoutReviewViewProps) {
  const [{ data, fetching, error }] = useQuery({
    query: CheckoutPreviewQuery,
    variables: { productId, quantity },
    requestPolicy: 'cache-and-network',
  });
  const [addressId, setAddressId] = useState<string | null>(null);
  const buyNow = useMemo<BuyNow | undefined>(() => (productId ? { productId, quantity } : undefined), [productId, quantity]);
  const preview = data?.checkoutPreview;
  const { t } = useTranslation('shop');

  return (
    <PageSection title={productId ? t('checkout.buyNow') : t('checkout.reviewOrder')}>
      <QueryState loadingLabel={t('checkout.loading')} fetching={fetching && !data} error={error}>
        {preview && preview.lines.length > 0 ? (
          <CheckoutReview
            preview={preview}
            address={renderAddressPicker(addressId, setAddressId)}
            confirm={
              <CheckoutButton addressId={addressId} buyNow={buyNow} disabled={addressId === null} label={t('checkout.placeOrder')} />
            }
          />
        ) : (
          <Result
            status="info"
            title={productId ? t('checkout.cannotOrder') : t('checkout.cartEmpty')}
            extra={<Link to={paths.products}>{t('checkout.browse')}</Link>}
          />
        )}
      </QueryState>
    </PageSection>
  );
}
