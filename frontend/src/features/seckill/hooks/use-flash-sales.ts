import { useQuery } from 'urql';
import { FlashSalesQuery } from '../api/queries';

/** Live sales first, then upcoming ones; `first` of each. */
export function useFlashSales(first: number) {
  const [{ data, fetching, error }] = useQuery({ query: FlashSalesQuery, variables: { first } });
  const events = data ? [...data.live.edges, ...data.upcoming.edges].map((edge) => edge.node) : [];
  return { events, fetching: fetching && !data, error };
}
