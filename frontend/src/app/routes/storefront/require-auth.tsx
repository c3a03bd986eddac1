import type { ReactNode } from 'react';
import { Button } from 'antd';
import { Result } from '@/components/result';
import { useLocation, useNavigate } from 'react-router-dom';
import { paths, signInPath } from '@/config/paths';
import { useSession } from '@/lib/session-context';
import { useTranslation } from 'react-i18next';

/** Pages of a signed-in shopper: visitors get a prompt that brings them back after signing in. */
export function RequireAuth({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation('shop');
  const { signedIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  if (signedIn) return <>{children}</>;
  const here = location.pathname + location.search;
  return (
    <Result
      status="403"
      title={title}
      subTitle={t('auth.required')}
      extra={[
        <Button key="sign-in" type="primary" onClick={() => void navigate(signInPath(here))}>
          {t('auth.signIn')}
        </Button>,
        <Button key="register" onClick={() => void navigate(`${paths.register}?next=${encodeURIComponent(here)}`)}>
          {t('auth.createAccount')}
        </Button>,
      ]}
    />
  );
}
