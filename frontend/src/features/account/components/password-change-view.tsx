import { useState } from 'react';
import { App, Button, Card, Form, Input, Typography } from 'antd';
import { FormErrors } from '@/components/form-errors';
import { usePasswordChange } from '../hooks/use-session-actions';
import { NewPasswordFields } from './new-password-fields';
import { useViewer } from '../hooks/use-viewer';

interface PasswordValues {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

export interface PasswordChangeFormProps {
  submitting: boolean;
  errors: readonly string[];
  onSubmit: (values: { oldPassword: string; newPassword: string }) => Promise<boolean>;
}

export function PasswordChangeForm({ submitting, errors, onSubmit }: PasswordChangeFormProps) {
  const [form] = Form.useForm<PasswordValues>();
  const finish = async ({ oldPassword, newPassword }: PasswordValues) => {
    if (await onSubmit({ oldPassword, newPassword })) form.resetFields();
  };
  return (
    <Form<PasswordValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      disabled={submitting}
      onFinish={(values) => void finish(values)}
      style={{ maxWidth: 420 }}
    >
      <FormErrors messages={errors} />
      <Form.Item label="Current password" name="oldPassword" rules={[{ required: true, message: 'Enter your current password' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <NewPasswordFields />
      <Button type="primary" htmlType="submit" loading={submitting}>
        Change password
      </Button>
    </Form>
  );
}

export function PasswordChangeView() {
  const { viewer } = useViewer();
  const { changePassword, fetching } = usePasswordChange();
  const { message } = App.useApp();
  const [errors, setErrors] = useState<string[]>([]);

  const submit = async ({ oldPassword, newPassword }: { oldPassword: string; newPassword: string }) => {
    if (!viewer) return false;
    const result = await changePassword(viewer.email, oldPassword, newPassword);
    if (!result.ok) {
      // "Wrong email or password" would mislead here: only the current password can be wrong.
      setErrors(
        result.fieldErrors.some((e) => e.code === 'INVALID_CREDENTIALS')
          ? ['The current password is wrong.']
          : result.messages,
      );
      return false;
    }
    setErrors([]);
    void message.success('Password changed. Your other devices have been signed out.');
    return true;
  };

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        Change password
      </Typography.Title>
      <PasswordChangeForm submitting={fetching} errors={errors} onSubmit={submit} />
    </Card>
  );
}
