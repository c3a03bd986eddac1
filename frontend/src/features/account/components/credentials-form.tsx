import { Button, Form, Input } from 'antd';
import { FormErrors } from '@/components/form-errors';

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
  return (
    <Form<Credentials> layout="vertical" requiredMark={false} onFinish={onSubmit} disabled={submitting}>
      <FormErrors messages={errors} />
      <EmailField />
      <Form.Item
        label="Password"
        name="password"
        extra={newPassword ? 'At least 8 characters, not your email.' : undefined}
        rules={[
          { required: true, message: 'Enter your password' },
          ...(newPassword ? [{ min: 8, message: 'Use at least 8 characters' }] : []),
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
  return (
    <Form.Item
      label="Email"
      name="email"
      rules={[
        { required: true, message: 'Enter your email address' },
        { type: 'email', message: 'Enter a valid email address' },
      ]}
    >
      <Input type="email" autoComplete="email" inputMode="email" />
    </Form.Item>
  );
}
