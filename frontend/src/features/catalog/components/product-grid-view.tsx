import { Link } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useProducts } from '../hooks/use-products';
import { ProductGrid, type RenderProductExtra } from './product-grid';
import { useTranslation } from 'react-i18next';

/** The first products of the catalogue (home page), with a link to the full list. */
export function ProductGridView({
  first = 12,
  title,
  renderProductExtra,
}: {
  first?: number;
  title?: string;
  renderProductExtra?: RenderProductExtra;
}) {
  const { t } = useTranslation('shop');
  const { products, fetching, error } = useProducts(first);
  return (
    <PageSection title={title ?? t('catalog.products')} extra={<Link to={paths.products}>{t('catalog.seeAll')}</Link>}>
      <QueryState
        loadingLabel={t('catalog.loadingProducts')}
        emptyDescription={t('catalog.noProducts')}
        fetching={fetching}
        error={error}
        isEmpty={products.length === 0}
      >
        <ProductGrid products={products} renderExtra={renderProductExtra} />
      </QueryState>
    </PageSection>
  );
}
