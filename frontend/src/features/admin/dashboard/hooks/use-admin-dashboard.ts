import { useQuery } from 'urql';
import { AdminDashboardQuery } from '../api/queries';

export function useAdminDashboard() {
  const [{ data, fetching, error }] = useQuery({ query: AdminDashboardQuery });
  return { viewer: data?.me ?? null, serverTime: data?.serverTime ?? null, fetching, error };
}
