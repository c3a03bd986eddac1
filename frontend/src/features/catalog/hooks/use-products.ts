import { useQuery } from 'urql';
import { ProductsQuery } from '../api/queries';

export function useProducts(first: number) {
  const [{ data, fetching, error }] = useQuery({ query: ProductsQuery, variables: { first } });
  return {
    products: data?.products.edges.map((edge) => edge.node) ?? [],
    totalCount: data?.products.totalCount ?? 0,
    fetching,
    error,
  };
}
