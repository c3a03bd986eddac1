import { useEffect, type ReactNode } from 'react';
import { App, Button, Result } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import type { AdminViewerQuery } from '@/gql/graphql';
import { paths, signInPath } from '@/config/paths';

export type AdminViewer = AdminViewerQuery['me'];

/** Decides who sees the console: admins do; visitors are asked to sign in; shoppers are sent away. */
export function AdminAccess({ viewer, children }: { viewer: AdminViewer; children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  if (!viewer) {
    return (
      <Result
        status="info"
        title="Sign in as an administrator to use the console"
        extra={
          <Button type="primary" onClick={() => void navigate(signInPath(location.pathname + location.search))}>
            Sign in
          </Button>
        }
      />
    );
  }
  if (viewer.role !== 'ADMIN' || !viewer.isActive) return <TurnAway />;
  return <>{children}</>;
}

/** Shoppers go back to the shop, with a word about why. */
function TurnAway() {
  const { message } = App.useApp();
  useEffect(() => {
    void message.warning('The console is for administrators only');
  }, [message]);
  return <Navigate to={paths.home} replace />;
}
