import { Button, Form, Input } from 'antd';
import { FormErrors } from '@/components/form-errors';
import { useTranslation } from 'react-i18next';

export interface Credentials {
  email: string;
  password: string;
}

export interface CredentialsFormProps {
  /** "Sign in" or "Create account": the submit button's name. */
  submitLabel: string;
  /** Sign-up asks for a new password (and says what makes a good one). */
  newPassword?: boolean;
  submitting: boolean;
  errors: readonly string[];
  onSubmit: (values: Credentials) => void;
}

/** Email and password, for signing in and signing up. */
export function CredentialsForm({ submitLabel, newPassword = false, submitting, errors, onSubmit }: CredentialsFormProps) {
  const { t } = useTranslation('shop');
  return (
    <Form<Credentials> layout="vertical" requiredMark={false} onFinish={onSubmit} disabled={submitting}>
      <FormErrors messages={errors} />
      <EmailField />
      <Form.Item
        label={t('account.password')}
        name="password"
        extra={newPassword ? t('account.passwordHint') : undefined}
        rules={[
          { required: true, message: t('account.enterPassword') },
          ...(newPassword ? [{ min: 8, message: t('account.min8') }] : []),
        ]}
      >
        <Input.Password autoComplete={newPassword ? 'new-password' : 'current-password'} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={submitting}>
        {submitLabel}
      </Button>
    </Form>
  );
}

/** The email field (`email`) of the account forms. */
export function EmailField() {
  const { t } = useTranslation('shop');
  return (
    <Form.Item
      label={t('account.email')}
      name="email"
      rules={[
        { required: true, message: t('account.enterEmail') },
        { type: 'email', message: t('account.validEmail') },
      ]}
    >
      <Input type="email" autoComplete="email" inputMode="email" />
    </Form.Item>
  );
}
