import { QueryState } from '@/components/query-state';
import { useAdminDashboard } from '../hooks/use-admin-dashboard';
import { Dashboard } from './dashboard';

export function DashboardView() {
  const { viewer, serverTime, fetching, error } = useAdminDashboard();
  return (
    <QueryState loadingLabel="Loading dashboard" fetching={fetching} error={error}>
      <Dashboard viewer={viewer} serverTime={serverTime} />
    </QueryState>
  );
}
