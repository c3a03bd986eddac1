import { useState, type ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { paths, safeReturnPath } from '@/config/paths';
import { useRegister, useSignIn } from '../hooks/use-session-actions';
import { CredentialsForm, type Credentials } from './credentials-form';
import { useTranslation } from 'react-i18next';

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card style={{ maxWidth: 420, margin: '24px auto' }}>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      {children}
    </Card>
  );
}

/**
 * Sign in, then go back to where the shopper came from (`?next=`). Administrators coming from the
 * storefront's home (or from nowhere) land in the console instead.
 */
export function SignInView() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { signIn, fetching } = useSignIn();
  const [errors, setErrors] = useState<string[]>([]);
  const next = safeReturnPath(params.get('next'));
  const { t } = useTranslation('shop');

  const submit = async ({ email, password }: Credentials) => {
    const result = await signIn(email, password);
    if (!result.ok) {
      setErrors(result.messages);
      return;
    }
    const landing = result.role === 'ADMIN' && next === paths.home ? paths.admin.root : next;
    void navigate(landing, { replace: true });
  };

  return (
    <AuthCard title={t('account.signIn')}>
      <CredentialsForm submitLabel={t('account.signIn')} submitting={fetching} errors={errors} onSubmit={(v) => void submit(v)} />
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to={paths.forgotPassword}>{t('account.forgot')}</Link>
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
        {t('account.newHere')} <Link to={`${paths.register}?next=${encodeURIComponent(next)}`}>{t('account.createAccount')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}

/** Sign up (and be signed in right away). */
export function RegisterView() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { register, fetching } = useRegister();
  const [errors, setErrors] = useState<string[]>([]);
  const next = safeReturnPath(params.get('next'));
  const { t } = useTranslation('shop');

  const submit = async ({ email, password }: Credentials) => {
    const result = await register(email, password);
    if (result.ok) void navigate(next, { replace: true });
    else setErrors(result.messages);
  };

  return (
    <AuthCard title={t('account.createAccount')}>
      <CredentialsForm
        submitLabel={t('account.createAccountButton')}
        newPassword
        submitting={fetching}
        errors={errors}
        onSubmit={(v) => void submit(v)}
      />
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        {t('account.haveAccount')} <Link to={`${paths.signIn}?next=${encodeURIComponent(next)}`}>{t('account.signIn')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}
