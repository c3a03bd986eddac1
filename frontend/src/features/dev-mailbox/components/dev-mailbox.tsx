import { Card, Empty, Flex, Typography } from 'antd';
import type { DevMailboxQuery } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';
import { MailText } from './mail-text';
import { useTranslation } from 'react-i18next';

export type DevMail = DevMailboxQuery['devMailbox'][number];

/** The messages the development mail backend kept, newest first. */
export function DevMailbox({ messages }: { messages: readonly DevMail[] }) {
  const { t } = useTranslation('shop');
  if (messages.length === 0) {
    return <Empty description={t('mailbox.empty')} />;
  }
  return (
    <Flex vertical gap={12}>
      {messages.map((mail) => (
        <Card key={mail.id} size="small" title={mail.subject} aria-label={t('mailbox.mailTo', { to: mail.to, subject: mail.subject })}>
          <Typography.Text type="secondary">
            {t('mailbox.to', { to: mail.to })} · {formatDateTime(mail.sentAt)}
          </Typography.Text>
          <MailText text={mail.text} />
        </Card>
      ))}
    </Flex>
  );
}
