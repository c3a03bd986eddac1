import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { ProductSort } from '@/gql/graphql';
import { ProductDeleteMutation, ProductUpdateMutation } from '../api/mutations';
import { AdminProductsQuery } from '../api/queries';

export const PAGE_SIZE = 20;

export type PublishedFilter = 'published' | 'draft' | null;

export interface ProductListFilters {
  search: string;
  categoryId: string | null;
  published: PublishedFilter;
  sort: ProductSort | null;
}

const noFilters: ProductListFilters = { search: '', categoryId: null, published: null, sort: null };
const context = { additionalTypenames: ['Product'] };

/** Every product (drafts too), filtered, sorted and paged by cursor, with publish and delete. */
export function useAdminProducts() {
  const [filters, setFilters] = useState<ProductListFilters>(noFilters);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const search = filters.search.trim();
  const [{ data, fetching, error }] = useQuery({
    query: AdminProductsQuery,
    variables: {
      first: PAGE_SIZE,
      after,
      filter: {
        search: search || null,
        categoryId: filters.categoryId,
        isPublished: filters.published === null ? null : filters.published === 'published',
      },
      sortBy: filters.sort,
    },
    requestPolicy: 'cache-and-network',
    context,
  });
  const [updating, runUpdate] = useMutation(ProductUpdateMutation);
  const [deleting, runDelete] = useMutation(ProductDeleteMutation);
  const connection = data?.products;
  return {
    products: connection?.edges.map((edge) => edge.node) ?? [],
    totalCount: connection?.totalCount ?? 0,
    fetching: fetching && !data,
    error: data ? undefined : error,
    filters,
    setFilters: (patch: Partial<ProductListFilters>) => {
      setFilters({ ...filters, ...patch });
      setCursors([null]);
    },
    page: cursors.length,
    pageCount: Math.max(1, Math.ceil((connection?.totalCount ?? 0) / PAGE_SIZE)),
    hasNext: connection?.pageInfo.hasNextPage ?? false,
    hasPrevious: cursors.length > 1,
    next: () => {
      const end = connection?.pageInfo.endCursor;
      if (end) setCursors([...cursors, end]);
    },
    previous: () => setCursors(cursors.slice(0, -1)),
    busy: updating.fetching || deleting.fetching,
    setPublished: async (id: string, isPublished: boolean) => {
      const result = await runUpdate({ id, input: { isPublished } });
      return { error: result.error, userErrors: result.data?.productUpdate.userErrors ?? [] };
    },
    remove: async (id: string) => {
      const result = await runDelete({ id });
      return { error: result.error, userErrors: result.data?.productDelete.userErrors ?? [] };
    },
  };
}
