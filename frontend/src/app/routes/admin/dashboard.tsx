import { DashboardView } from '@/features/admin/dashboard/components/dashboard-view';

export function AdminDashboardRoute() {
  return <DashboardView />;
}
