import { useTranslation } from 'react-i18next';
import { QueryState } from '@/components/query-state';
import { useAdminDashboard } from '../hooks/use-admin-dashboard';
import { Dashboard } from './dashboard';

export function DashboardView() {
  const { report, activeFlashSales, fetching, error } = useAdminDashboard();
  const { t } = useTranslation('console');
  return (
    <QueryState loadingLabel={t('dashboard.loading')} fetching={fetching} error={error} isEmpty={!report}>
      {report && <Dashboard report={report} activeFlashSales={activeFlashSales} />}
    </QueryState>
  );
}
