import { useQuery } from 'urql';
import { CategoriesQuery, ProductListQuery, ProductQuery } from '../api/queries';
import { toProductFilterInput, type ProductFilters } from '../utils/filters';

export function useCategories() {
  const [{ data, fetching, error }] = useQuery({ query: CategoriesQuery });
  return { categories: data?.categories ?? [], fetching, error };
}

export function useProduct(id: string) {
  const [{ data, fetching, error }] = useQuery({ query: ProductQuery, variables: { id } });
  return { product: data?.product ?? null, fetching, error };
}

/** One page of the product list for these filters. */
export function useProductPage({ pageSize, after, filters }: { pageSize: number; after: string | null; filters: ProductFilters }) {
  const [{ data, fetching, error }] = useQuery({
    query: ProductListQuery,
    variables: { first: pageSize, after, filter: toProductFilterInput(filters), sortBy: filters.sort },
  });
  const connection = data?.products;
  return {
    products: connection?.edges.map((edge) => edge.node) ?? [],
    totalCount: connection?.totalCount ?? 0,
    endCursor: connection?.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null,
    fetching,
    error,
  };
}
