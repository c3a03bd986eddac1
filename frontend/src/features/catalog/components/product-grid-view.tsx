import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { useProducts } from '../hooks/use-products';
import { ProductGrid } from './product-grid';

export function ProductGridView({ first = 12 }: { first?: number }) {
  const { products, fetching, error } = useProducts(first);
  return (
    <PageSection title="Products">
      <QueryState
        loadingLabel="Loading products"
        emptyDescription="No products yet"
        fetching={fetching}
        error={error}
        isEmpty={products.length === 0}
      >
        <ProductGrid products={products} />
      </QueryState>
    </PageSection>
  );
}
