import { useState } from 'react';
import { Button, Form, Typography } from 'antd';
import { Result } from '@/components/result';
import { Link, useSearchParams } from 'react-router-dom';
import { FormErrors } from '@/components/form-errors';
import { paths } from '@/config/paths';
import { usePasswordResetConfirm, usePasswordResetRequest } from '../hooks/use-session-actions';
import { EmailField } from './credentials-form';
import { NewPasswordFields } from './new-password-fields';
import { AuthCard } from './sign-in-view';
import { Trans, useTranslation } from 'react-i18next';

/** "Forgot password?": mail a reset link. Says the same whether or not the account exists. */
export function ForgotPasswordView() {
  const { t } = useTranslation('shop');
  const { requestReset, fetching } = usePasswordResetRequest();
  const [errors, setErrors] = useState<string[]>([]);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async ({ email }: { email: string }) => {
    const result = await requestReset(email);
    if (result.ok) setSentTo(email.trim());
    else setErrors(result.messages);
  };

  if (sentTo !== null) {
    return (
      <AuthCard title={t('account.checkEmail')}>
        <Typography.Paragraph role="status">
          <Trans t={t} i18nKey="account.resetSent" values={{ email: sentTo }} components={{ strong: <strong /> }} />
        </Typography.Paragraph>
        <Link to={paths.signIn}>{t('account.backToSignIn')}</Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('account.resetTitle')}>
      <Typography.Paragraph type="secondary">{t('account.resetHint')}</Typography.Paragraph>
      <Form<{ email: string }> layout="vertical" requiredMark={false} disabled={fetching} onFinish={(v) => void submit(v)}>
        <FormErrors messages={errors} />
        <EmailField />
        <Button type="primary" htmlType="submit" block loading={fetching}>
          {t('account.sendReset')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to={paths.signIn}>{t('account.backToSignIn')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}

interface NewPasswordValues {
  newPassword: string;
  confirm: string;
}

/** The page of the mailed link (`?token=`): choose a new password; every session ends. */
export function ResetPasswordView() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { t } = useTranslation('shop');
  const { confirmReset, fetching } = usePasswordResetConfirm();
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState(false);

  const submit = async ({ newPassword }: NewPasswordValues) => {
    const result = await confirmReset(token, newPassword);
    if (result.ok) setDone(true);
    else setErrors(result.messages);
  };

  if (done) {
    return (
      <Result
        status="success"
        title={t('account.passwordSet')}
        subTitle={t('account.signedOutEverywhere')}
        extra={
          <Link to={paths.signIn}>
            <Button type="primary">{t('account.signIn')}</Button>
          </Link>
        }
      />
    );
  }
  if (!token) {
    return (
      <Result
        status="warning"
        title={t('account.linkIncomplete')}
        subTitle={t('account.linkIncompleteHint')}
        extra={<Link to={paths.forgotPassword}>{t('account.askNewLink')}</Link>}
      />
    );
  }
  return (
    <AuthCard title={t('account.chooseNew')}>
      <Form<NewPasswordValues> layout="vertical" requiredMark={false} disabled={fetching} onFinish={(v) => void submit(v)}>
        <FormErrors messages={errors} />
        <NewPasswordFields />
        <Button type="primary" htmlType="submit" block loading={fetching}>
          {t('account.setNew')}
        </Button>
      </Form>
      {errors.length > 0 && (
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to={paths.forgotPassword}>{t('account.askNewLink')}</Link>
        </Typography.Paragraph>
      )}
    </AuthCard>
  );
}
