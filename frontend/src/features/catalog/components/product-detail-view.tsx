import type { ReactNode } from 'react';
import { Result } from '@/components/result';
import { Link } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { normalizeError } from '@/lib/errors';
import { useProduct } from '../hooks/use-catalog';
import { ProductDetail, type ProductDetailData } from './product-detail';
import { useTranslation } from 'react-i18next';

export interface ProductDetailViewProps {
  productId: string;
  renderPurchase?: (product: ProductDetailData) => ReactNode;
}

function NotFound() {
  const { t } = useTranslation('shop');
  return (
    <Result
      status="404"
      title={t('catalog.notFound')}
      subTitle={t('catalog.notFoundHint')}
      extra={<Link to={paths.products}>{t('catalog.browseAll')}</Link>}
    />
  );
}

export function ProductDetailView({ productId, renderPurchase }: ProductDetailViewProps) {
  const { t } = useTranslation('shop');
  const { product, fetching, error } = useProduct(productId);
  // A malformed id in the URL is "not found" to a shopper, not an error.
  if (error && normalizeError(error).code === 'BAD_USER_INPUT') return <NotFound />;
  return (
    <QueryState loadingLabel={t('catalog.loadingProduct')} fetching={fetching} error={error}>
      {product ? <ProductDetail product={product} purchase={renderPurchase?.(product)} /> : <NotFound />}
    </QueryState>
  );
}
