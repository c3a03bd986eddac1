import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '@/components/query-state';
import { useAdminViewer } from '../hooks/use-admin-viewer';
import { AdminAccess } from './admin-access';

/** The console's guard: loads the viewer, then lets only active administrators through. */
export function AdminGate({ children }: { children: ReactNode }) {
  const { viewer, fetching, error } = useAdminViewer();
  const { t } = useTranslation('console');
  return (
    <QueryState loadingLabel={t('access.checking')} fetching={fetching} error={error}>
      <AdminAccess viewer={viewer}>{children}</AdminAccess>
    </QueryState>
  );
}
