import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import type { ProductSort } from '@/gql/graphql';
import { useReturnState } from '@/hooks/use-return-link';
import { useAdminCategories } from '../hooks/use-admin-categories';
import { useAdminProducts } from '../hooks/use-admin-products';
import { flattenTree, pathLabel } from '../utils/category-tree';
import { hasProductFilters, productSortOptions, type PublishedFilter } from '../utils/product-filters';
import { outcomeProblems, type MutationOutcome } from '../utils/user-errors';
import { ProductsTable, type ProductRow } from './products-table';

const publishedOptions: { value: Exclude<PublishedFilter, null>; label: string }[] = [
  { value: 'published', label: 'Published' },
  { value: 'draft', label: 'Drafts' },
];

/** Every product, drafts too: search, filter, sort, page, publish and delete. */
export function ProductsView() {
  const list = useAdminProducts();
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
      isPublished ? `${product.name} is published` : `${product.name} is hidden from the shop`,
    );
  const remove = async (product: ProductRow) => report(await list.remove(product.id), `${product.name} is deleted`);

  const filtered = hasProductFilters(list.filters);
  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={2}>Products</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate(paths.admin.newProduct, { state: returnState })}>
          New product
        </Button>
      </Flex>
      <div role="search" aria-label="Product filters">
        <Flex wrap gap={12} align="center" style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label="Search products"
            placeholder="Search name and description"
            allowClear
            enterButton="Search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onSearch={(value) => list.setFilters({ search: value.trim() })}
            style={{ flex: '1 1 260px', maxWidth: 400 }}
          />
          <Select<string>
            aria-label="Category"
            placeholder="All categories"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={list.filters.categoryId ?? undefined}
            onChange={(value) => list.setFilters({ categoryId: value ?? null })}
            options={flattenTree(categories.tree).map((node) => ({ value: node.id, label: pathLabel(node) }))}
            style={{ minWidth: 200 }}
          />
          <Select<Exclude<PublishedFilter, null>>
            aria-label="Status"
            placeholder="Published and drafts"
            allowClear
            value={list.filters.published ?? undefined}
            onChange={(value) => list.setFilters({ published: value ?? null })}
            options={publishedOptions}
            style={{ minWidth: 180 }}
          />
          <Select<ProductSort>
            aria-label="Sort by"
            placeholder="Catalog order"
            allowClear
            value={list.filters.sort ?? undefined}
            onChange={(value) => list.setFilters({ sort: value ?? null })}
            options={[...productSortOptions]}
            style={{ minWidth: 180 }}
          />
          <Typography.Text type="secondary" aria-live="polite">
            {list.totalCount} products
          </Typography.Text>
        </Flex>
      </div>
      <QueryState
        loadingLabel="Loading products"
        fetching={list.fetching}
        error={list.error}
        isEmpty={list.products.length === 0}
        emptyDescription={filtered ? 'No products match these filters' : 'No products yet'}
        emptyExtra={filtered ? undefined : (
            <Link to={paths.admin.newProduct} state={returnState}>
              Create the first product
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
          label="Product pages"
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
