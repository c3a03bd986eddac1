import { Typography } from 'antd';
import { PageSection } from '@/components/page-section';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { useCategories, useProductPage } from '../hooks/use-catalog';
import { useProductFilters } from '../hooks/use-product-filters';
import { hasActiveFilters } from '../utils/filters';
import { ProductFilterBar } from './product-filter-bar';
import { ProductGrid, type RenderProductExtra } from './product-grid';
import { useTranslation } from 'react-i18next';

export function ProductListView({
  pageSize = 12,
  renderProductExtra,
}: {
  pageSize?: number;
  renderProductExtra?: RenderProductExtra;
}) {
  const { filters, after, page, hasPrevious, setFilters, nextPage, previousPage } = useProductFilters();
  const { categories } = useCategories();
  const { products, totalCount, endCursor, fetching, error } = useProductPage({ pageSize, after, filters });
  const filtered = hasActiveFilters(filters);
  const { t } = useTranslation('shop');
  return (
    <PageSection title={t('catalog.products')}>
      <ProductFilterBar filters={filters} categories={categories} onChange={setFilters} />
      <QueryState
        loadingLabel={t('catalog.loadingProducts')}
        fetching={fetching}
        error={error}
        isEmpty={products.length === 0}
        emptyDescription={filtered ? t('catalog.noMatch') : t('catalog.noProducts')}
      >
        <Typography.Paragraph type="secondary" aria-live="polite">
          {t('catalog.count', { count: totalCount })}
        </Typography.Paragraph>
        <ProductGrid products={products} renderExtra={renderProductExtra} />
        <Pager
          label={t('catalog.productPages')}
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
