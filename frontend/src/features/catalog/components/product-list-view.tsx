import { Typography } from 'antd';
import { PageSection } from '@/components/page-section';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { useCategories, useProductPage } from '../hooks/use-catalog';
import { useProductFilters } from '../hooks/use-product-filters';
import { hasActiveFilters } from '../utils/filters';
import { ProductFilterBar } from './product-filter-bar';
import { ProductGrid } from './product-grid';

export function ProductListView({ pageSize = 12 }: { pageSize?: number }) {
  const { filters, after, page, hasPrevious, setFilters, nextPage, previousPage } = useProductFilters();
  const { categories } = useCategories();
  const { products, totalCount, endCursor, fetching, error } = useProductPage({ pageSize, after, filters });
  const filtered = hasActiveFilters(filters);
  return (
    <PageSection title="Products">
      <ProductFilterBar filters={filters} categories={categories} onChange={setFilters} />
      <QueryState
        loadingLabel="Loading products"
        fetching={fetching}
        error={error}
        isEmpty={products.length === 0}
        emptyDescription={filtered ? 'No products match these filters' : 'No products yet'}
      >
        <Typography.Paragraph type="secondary" aria-live="polite">
          {totalCount === 1 ? '1 product' : `${String(totalCount)} products`}
        </Typography.Paragraph>
        <ProductGrid products={products} />
        <Pager
          label="Product pages"
          page={page}
          pageCount={Math.ceil(totalCount / pageSize)}
          hasPrevious={hasPrevious}
          hasNext={endCursor !== null}
          onPrevious={previousPage}
          onNext={() => {
            if (endCursor) nextPage(endCursor);
          }}
        />
      </QueryState>
    </PageSection>
  );
}
