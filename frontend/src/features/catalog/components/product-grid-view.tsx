import { Link } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useProducts } from '../hooks/use-products';
import { ProductGrid } from './product-grid';

/** The first products of the catalogue (home page), with a link to the full list. */
export function ProductGridView({ first = 12, title = 'Products' }: { first?: number; title?: string }) {
  const { products, fetching, error } = useProducts(first);
  return (
    <PageSection title={title} extra={<Link to={paths.products}>See all products</Link>}>
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
