import { Form, Input } from 'antd';

/** "New password" and "Repeat new password" (fields `newPassword` and `confirm`) of a form. */
export function NewPasswordFields() {
  return (
    <>
      <Form.Item
        label="New password"
        name="newPassword"
        extra="At least 8 characters, not your email."
        rules={[
          { required: true, message: 'Enter a new password' },
          { min: 8, message: 'Use at least 8 characters' },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label="Repeat new password"
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: 'Repeat the new password' },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error('The two passwords differ')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
