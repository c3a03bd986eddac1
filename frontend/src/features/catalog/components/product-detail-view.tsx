import type { ReactNode } from 'react';
import { Result } from 'antd';
import { Link } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { normalizeError } from '@/lib/errors';
import { useProduct } from '../hooks/use-catalog';
import { ProductDetail, type ProductDetailData } from './product-detail';

export interface ProductDetailViewProps {
  productId: string;
  renderPurchase?: (product: ProductDetailData) => ReactNode;
}

function NotFound() {
  return (
    <Result
      status="404"
      title="Product not found"
      subTitle="It may have been removed, or the link is wrong."
      extra={<Link to={paths.products}>Browse all products</Link>}
    />
  );
}

export function ProductDetailView({ productId, renderPurchase }: ProductDetailViewProps) {
  const { product, fetching, error } = useProduct(productId);
  // A malformed id in the URL is "not found" to a shopper, not an error.
  if (error && normalizeError(error).code === 'BAD_USER_INPUT') return <NotFound />;
  return (
    <QueryState loadingLabel="Loading product" fetching={fetching} error={error}>
      {product ? <ProductDetail product={product} purchase={renderPurchase?.(product)} /> : <NotFound />}
    </QueryState>
  );
}
