import { useMemo, useState, type ReactNode } from 'react';
import { Result } from 'antd';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { CheckoutPreviewQuery } from '../api/queries';
import type { BuyNow } from '../hooks/use-checkout';
import { CheckoutButton } from './checkout-button';
import { CheckoutReview } from './checkout-review';

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

  return (
    <PageSection title={productId ? 'Buy now' : 'Review your order'}>
      <QueryState loadingLabel="Loading your order" fetching={fetching && !data} error={error}>
        {preview && preview.lines.length > 0 ? (
          <CheckoutReview
            preview={preview}
            address={renderAddressPicker(addressId, setAddressId)}
            confirm={
              <CheckoutButton addressId={addressId} buyNow={buyNow} disabled={addressId === null} label="Place order" />
            }
          />
        ) : (
          <Result
            status="info"
            title={productId ? 'This product cannot be ordered' : 'Your cart is empty'}
            extra={<Link to={paths.products}>Browse products</Link>}
          />
        )}
      </QueryState>
    </PageSection>
  );
}
