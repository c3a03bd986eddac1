import { useQuery } from 'urql';
import { ProductListQuery } from '../api/queries';

export function useProducts(first: number) {
  const [{ data, fetching, error }] = useQuery({ query: ProductListQuery, variables: { first } });
  return {
    products: data?.products.edges.map((edge) => edge.node) ?? [],
    totalCount: data?.products.totalCount ?? 0,
    fetching,
    error,
  };
}
