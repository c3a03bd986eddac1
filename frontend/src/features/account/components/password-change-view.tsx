import { useState } from 'react';
import { App, Button, Card, Form, Input, Typography } from 'antd';
import { FormErrors } from '@/components/form-errors';
import { usePasswordChange } from '../hooks/use-session-actions';
import { NewPasswordFields } from './new-password-fields';
import { useViewer } from '../hooks/use-viewer';
import { useTranslation } from 'react-i18next';

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
  const { t } = useTranslation('shop');
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
      <Form.Item
        label={t('account.currentPassword')}
        name="oldPassword"
        rules={[{ required: true, message: t('account.enterCurrentPassword') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <NewPasswordFields />
      <Button type="primary" htmlType="submit" loading={submitting}>
        {t('account.changePassword')}
      </Button>
    </Form>
  );
}

export function PasswordChangeView() {
  const { t } = useTranslation('shop');
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
          ? [t('account.currentWrong')]
          : result.messages,
      );
      return false;
    }
    setErrors([]);
    void message.success(t('account.passwordChanged'));
    return true;
  };

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('account.changePassword')}
      </Typography.Title>
      <PasswordChangeForm submitting={fetching} errors={errors} onSubmit={submit} />
    </Card>
  );
}
