import type { ReactNode } from 'react';
import { QueryState } from '@/components/query-state';
import { useAdminViewer } from '../hooks/use-admin-viewer';
import { AdminAccess } from './admin-access';

/** The console's guard: loads the viewer, then lets only active administrators through. */
export function AdminGate({ children }: { children: ReactNode }) {
  const { viewer, fetching, error } = useAdminViewer();
  return (
    <QueryState loadingLabel="Checking access" fetching={fetching} error={error}>
      <AdminAccess viewer={viewer}>{children}</AdminAccess>
    </QueryState>
  );
}
