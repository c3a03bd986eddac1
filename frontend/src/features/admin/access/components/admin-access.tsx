import { type ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import type { AdminViewerQuery } from '@/gql/graphql';
import { paths, signInPath } from '@/config/paths';

export type AdminViewer = AdminViewerQuery['me'];

/** Decides who sees the console: admins do; visitors are asked to sign in; shoppers are sent away. */
export function AdminAccess({ viewer, children }: { viewer: AdminViewer; children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const { t } = useTranslation('console');
  if (!viewer) {
    return (
      <Result
        status="info"
        title={t('access.signInPrompt')}
        extra={
          <Button type="primary" onClick={() => void navigate(signInPath(location.pathname + location.search))}>
            {t('access.signIn')}
          </Button>
        }
      />
    );
  }
  if (viewer.role !== 'ADMIN' || !viewer.isActive) return <TurnAway />;
  return <>{children}</>;
}

/** Shoppers go back to the shop, with a word about why (shown by the shop's layout: the console's
 * message holder goes away with the console). */
function TurnAway() {
  const { t } = useTranslation('console');
  return <Navigate to={paths.home} replace state={{ notice: t('access.adminsOnly') }} />;
}
