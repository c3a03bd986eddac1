import { useQuery } from 'urql';
import { FlashSalesQuery } from '../api/queries';

export function useFlashSales(first: number) {
  const [{ data, fetching, error }] = useQuery({ query: FlashSalesQuery, variables: { first } });
  return {
    events: data?.seckillEvents.edges.map((edge) => edge.node) ?? [],
    fetching,
    error,
  };
}
