import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useUrlList, type UrlListCodec } from '@/hooks/use-url-list';
import { ProductDeleteMutation, ProductUpdateMutation } from '../api/mutations';
import { AdminProductsQuery } from '../api/queries';
import {
  parseProductListFilters,
  productListAfter,
  productListFiltersToSearchParams,
  toAdminProductFilter,
  type ProductListFilters,
} from '../utils/product-filters';

export const PAGE_SIZE = 20;

const codec: UrlListCodec<ProductListFilters> = {
  parse: parseProductListFilters,
  toParams: productListFiltersToSearchParams,
  cursorOf: productListAfter,
};
const context = { additionalTypenames: ['Product'] };

/** Every product (drafts too), filtered, sorted and paged by cursor (all in the URL), with publish and delete. */
export function useAdminProducts() {
  const list = useUrlList(codec);
  const { filters } = list;
  const [{ data, fetching, error }] = useQuery({
    query: AdminProductsQuery,
    variables: {
      first: PAGE_SIZE,
      after: list.cursor,
      filter: toAdminProductFilter(filters),
      sortBy: filters.sort,
    },
    requestPolicy: 'cache-and-network',
    context,
  });
  const [, runUpdate] = useMutation(ProductUpdateMutation);
  const [, runDelete] = useMutation(ProductDeleteMutation);
  // The products with a change on its way: only their rows wait, the others stay usable.
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(() => new Set());
  const whileBusy = async <T,>(id: string, run: () => Promise<T>): Promise<T> => {
    setBusyIds((ids) => new Set(ids).add(id));
    try {
      return await run();
    } finally {
      setBusyIds((ids) => {
        const rest = new Set(ids);
        rest.delete(id);
        return rest;
      });
    }
  };
  const connection = data?.products;
  return {
    products: connection?.edges.map((edge) => edge.node) ?? [],
    totalCount: connection?.totalCount ?? 0,
    fetching: fetching && !data,
    error: data ? undefined : error,
    filters,
    setFilters: (patch: Partial<ProductListFilters>) => list.setFilters({ ...filters, ...patch }),
    page: list.page,
    pageCount: Math.max(1, Math.ceil((connection?.totalCount ?? 0) / PAGE_SIZE)),
    hasNext: connection?.pageInfo.hasNextPage ?? false,
    hasPrevious: list.hasPrevious,
    next: () => {
      const end = connection?.pageInfo.endCursor;
      if (end) list.nextPage(end);
    },
    previous: list.previousPage,
    busyIds,
    setPublished: (id: string, isPublished: boolean) =>
      whileBusy(id, async () => {
        const result = await runUpdate({ id, input: { isPublished } });
        return { error: result.error, userErrors: result.data?.productUpdate.userErrors ?? [] };
      }),
    remove: (id: string) =>
      whileBusy(id, async () => {
        const result = await runDelete({ id });
        return { error: result.error, userErrors: result.data?.productDelete.userErrors ?? [] };
      }),
  };
}
