import { Card, Col, Row } from 'antd';
import { Link } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import type { CategoriesQuery } from '@/gql/graphql';
import { useCategories } from '../hooks/use-catalog';
import { emptyFilters, filtersToSearchParams } from '../utils/filters';
import { useTranslation } from 'react-i18next';

type Category = CategoriesQuery['categories'][number];

export function CategoryList({ categories }: { categories: Category[] }) {
  const { t } = useTranslation('shop');
  return (
    <Row role="list" aria-label={t('catalog.categories')} gutter={[12, 12]}>
      {categories.map((category) => (
        <Col role="listitem" key={category.id} xs={12} sm={8} md={6} lg={4}>
          <Link to={`${paths.products}?${filtersToSearchParams({ ...emptyFilters, categoryId: category.id }).toString()}`}>
            <Card size="small" hoverable style={{ textAlign: 'center', fontWeight: 500 }}>
              {category.name}
            </Card>
          </Link>
        </Col>
      ))}
    </Row>
  );
}

/** Featured categories on the home page: the top-level ones, each a link to its filtered list (sub-categories included). */
export function CategoryListView({ max = 12 }: { max?: number }) {
  const { categories, fetching, error } = useCategories();
  const { t } = useTranslation('shop');
  const topLevel = categories.filter((category) => category.parent === null);
  return (
    <PageSection title={t('catalog.shopByCategory')}>
      <QueryState
        loadingLabel={t('catalog.loadingCategories')}
        fetching={fetching}
        error={error}
        isEmpty={topLevel.length === 0}
        emptyDescription={t('catalog.noCategories')}
      >
        <CategoryList categories={topLevel.slice(0, max)} />
      </QueryState>
    </PageSection>
  );
}
