import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import type { ProductSort } from '@/gql/graphql';
import { useReturnState } from '@/hooks/use-return-link';
import { useAdminCategories } from '../hooks/use-admin-categories';
import { useAdminProducts } from '../hooks/use-admin-products';
import { flattenTree, pathLabel } from '../utils/category-tree';
import { hasProductFilters, productSorts, type PublishedFilter } from '../utils/product-filters';
import { outcomeProblems, type MutationOutcome } from '../utils/user-errors';
import { ProductsTable, type ProductRow } from './products-table';

/** Every product, drafts too: search, filter, sort, page, publish and delete. */
export function ProductsView() {
  const list = useAdminProducts();
  const { t } = useTranslation('console');
  const categories = useAdminCategories();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const returnState = useReturnState();
  const [search, setSearch] = useState(list.filters.search);
  const [shownSearch, setShownSearch] = useState(list.filters.search);
  if (shownSearch !== list.filters.search) {
    // The URL changed (back button, a link): show its search text.
    setShownSearch(list.filters.search);
    setSearch(list.filters.search);
  }

  const report = (outcome: MutationOutcome, done: string) => {
    const problems = outcomeProblems(outcome);
    if (problems.length) void message.error(problems.join(' '));
    else void message.success(done);
  };
  const setPublished = async (product: ProductRow, isPublished: boolean) =>
    report(
      await list.setPublished(product.id, isPublished),
      t(isPublished ? 'product.publishedMessage' : 'product.hiddenMessage', { name: product.name }),
    );
  const remove = async (product: ProductRow) => report(await list.remove(product.id), t('product.deletedMessage', { name: product.name }));

  const filtered = hasProductFilters(list.filters);
  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={2}>{t('products.title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate(paths.admin.newProduct, { state: returnState })}>
          {t('products.new')}
        </Button>
      </Flex>
      <div role="search" aria-label={t('products.filters')}>
        <Flex wrap gap={12} align="center" style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('products.search')}
            placeholder={t('products.searchPlaceholder')}
            allowClear
            enterButton={t('products.searchButton')}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onSearch={(value) => list.setFilters({ search: value.trim() })}
            style={{ flex: '1 1 260px', maxWidth: 400 }}
          />
          <Select<string>
            aria-label={t('products.category')}
            placeholder={t('products.allCategories')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={list.filters.categoryId ?? undefined}
            onChange={(value) => list.setFilters({ categoryId: value ?? null })}
            options={flattenTree(categories.tree).map((node) => ({ value: node.id, label: pathLabel(node) }))}
            style={{ minWidth: 200 }}
          />
          <Select<Exclude<PublishedFilter, null>>
            aria-label={t('products.status')}
            placeholder={t('products.allStatuses')}
            allowClear
            value={list.filters.published ?? undefined}
            onChange={(value) => list.setFilters({ published: value ?? null })}
            options={[
              { value: 'published', label: t('products.publishedOption') },
              { value: 'draft', label: t('products.draftsOption') },
            ]}
            style={{ minWidth: 180 }}
          />
          <Select<ProductSort>
            aria-label={t('products.sortBy')}
            placeholder={t('products.catalogOrder')}
            allowClear
            value={list.filters.sort ?? undefined}
            onChange={(value) => list.setFilters({ sort: value ?? null })}
            options={productSorts.map((value) => ({ value, label: t(`products.sort.${value}`) }))}
            style={{ minWidth: 180 }}
          />
          <Typography.Text type="secondary" aria-live="polite">
            {t('products.count', { count: list.totalCount })}
          </Typography.Text>
        </Flex>
      </div>
      <QueryState
        loadingLabel={t('products.loading')}
        fetching={list.fetching}
        error={list.error}
        isEmpty={list.products.length === 0}
        emptyDescription={filtered ? t('products.noMatch') : t('products.none')}
        emptyExtra={filtered ? undefined : (
            <Link to={paths.admin.newProduct} state={returnState}>
              {t('products.createFirst')}
            </Link>
          )}
      >
        <ProductsTable
          products={list.products}
          busyIds={list.busyIds}
          linkState={returnState}
          onSetPublished={(product, isPublished) => void setPublished(product, isPublished)}
          onDelete={(product) => void remove(product)}
        />
        <Pager
          label={t('products.pages')}
          page={list.page}
          pageCount={list.pageCount}
          hasPrevious={list.hasPrevious}
          hasNext={list.hasNext}
          onPrevious={list.previous}
          onNext={list.next}
        />
      </QueryState>
    </>
  );
}
