import { useState } from 'react';
import { Button, Form, Result, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { FormErrors } from '@/components/form-errors';
import { paths } from '@/config/paths';
import { usePasswordResetConfirm, usePasswordResetRequest } from '../hooks/use-session-actions';
import { EmailField } from './credentials-form';
import { NewPasswordFields } from './new-password-fields';
import { AuthCard } from './sign-in-view';

/** "Forgot password?": mail a reset link. Says the same whether or not the account exists. */
export function ForgotPasswordView() {
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
      <AuthCard title="Check your email">
        <Typography.Paragraph role="status">
          If an account exists for <strong>{sentTo}</strong>, we sent it a link to choose a new password. The link works once
          and expires soon.
        </Typography.Paragraph>
        <Link to={paths.signIn}>Back to sign in</Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Reset your password">
      <Typography.Paragraph type="secondary">Enter the email of your account: we mail you a link to choose a new password.</Typography.Paragraph>
      <Form<{ email: string }> layout="vertical" requiredMark={false} disabled={fetching} onFinish={(v) => void submit(v)}>
        <FormErrors messages={errors} />
        <EmailField />
        <Button type="primary" htmlType="submit" block loading={fetching}>
          Send reset link
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to={paths.signIn}>Back to sign in</Link>
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
        title="Your new password is set"
        subTitle="You are signed out everywhere: sign in with the new password."
        extra={
          <Link to={paths.signIn}>
            <Button type="primary">Sign in</Button>
          </Link>
        }
      />
    );
  }
  if (!token) {
    return (
      <Result
        status="warning"
        title="This link is incomplete"
        subTitle="Open the link from the email again, or ask for a new one."
        extra={<Link to={paths.forgotPassword}>Ask for a new link</Link>}
      />
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <Form<NewPasswordValues> layout="vertical" requiredMark={false} disabled={fetching} onFinish={(v) => void submit(v)}>
        <FormErrors messages={errors} />
        <NewPasswordFields />
        <Button type="primary" htmlType="submit" block loading={fetching}>
          Set new password
        </Button>
      </Form>
      {errors.length > 0 && (
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to={paths.forgotPassword}>Ask for a new link</Link>
        </Typography.Paragraph>
      )}
    </AuthCard>
  );
}
