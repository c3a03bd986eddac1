import { useState } from 'react';
import { App, Button, Card, Form, Input } from 'antd';
import { FormErrors } from '@/components/form-errors';
import { useProfileUpdate } from '../hooks/use-session-actions';
import { useTranslation } from 'react-i18next';

interface ProfileValues {
  displayName: string;
  phone: string;
}

export interface ProfileFormProps {
  displayName: string | null;
  phone: string | null;
}

/** The shopper's display name and phone (empty clears them). */
export function ProfileForm({ displayName, phone }: ProfileFormProps) {
  const { t } = useTranslation('shop');
  const { updateProfile, fetching } = useProfileUpdate();
  const [errors, setErrors] = useState<string[]>([]);
  const { message } = App.useApp();

  const submit = async (values: ProfileValues) => {
    const result = await updateProfile(values.displayName.trim(), values.phone.trim());
    if (result.ok) {
      setErrors([]);
      void message.success(t('account.profileSaved'));
    } else setErrors(result.messages);
  };

  return (
    <Card title={t('account.profile')}>
      <Form<ProfileValues>
        layout="vertical"
        requiredMark={false}
        disabled={fetching}
        initialValues={{ displayName: displayName ?? '', phone: phone ?? '' }}
        onFinish={(values) => void submit(values)}
        style={{ maxWidth: 420 }}
      >
        <FormErrors messages={errors} />
        <Form.Item label={t('account.displayName')} name="displayName" extra={t('account.displayNameHint')}>
          <Input maxLength={80} autoComplete="name" />
        </Form.Item>
        <Form.Item
          label={t('account.phone')}
          name="phone"
          rules={[{ pattern: /^\+?[0-9][0-9 ()-]{4,30}$/, message: t('account.phoneRule') }]}
        >
          <Input maxLength={32} autoComplete="tel" inputMode="tel" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={fetching}>
          {t('account.saveProfile')}
        </Button>
      </Form>
    </Card>
  );
}
