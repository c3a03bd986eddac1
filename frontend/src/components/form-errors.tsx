import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';

/** Why a form submit failed, announced to screen readers (role "alert"). */
export function FormErrors({ messages }: { messages: readonly string[] }) {
  const { t } = useTranslation();
  if (messages.length === 0) return null;
  const [first] = messages;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={messages.length === 1 ? first : t('form.checkFollowing')}
      description={
        messages.length > 1 ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
