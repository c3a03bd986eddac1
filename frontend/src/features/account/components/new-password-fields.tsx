import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/** "New password" and "Repeat new password" (fields `newPassword` and `confirm`) of a form. */
export function NewPasswordFields() {
  const { t } = useTranslation('shop');
  return (
    <>
      <Form.Item
        label={t('account.newPassword')}
        name="newPassword"
        extra={t('account.passwordHint')}
        rules={[
          { required: true, message: t('account.enterNewPassword') },
          { min: 8, message: t('account.min8') },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('account.repeatNewPassword')}
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('account.repeatPrompt') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('account.passwordsDiffer'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
