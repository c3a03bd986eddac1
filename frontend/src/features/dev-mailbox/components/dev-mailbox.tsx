import { Card, Empty, Flex, Typography } from 'antd';
import type { DevMailboxQuery } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';
import { MailText } from './mail-text';

export type DevMail = DevMailboxQuery['devMailbox'][number];

/** The messages the development mail backend kept, newest first. */
export function DevMailbox({ messages }: { messages: readonly DevMail[] }) {
  if (messages.length === 0) {
    return <Empty description="No mail yet. Sign up or ask for a verification link, then reload." />;
  }
  return (
    <Flex vertical gap={12}>
      {messages.map((mail) => (
        <Card key={mail.id} size="small" title={mail.subject} aria-label={`Mail to ${mail.to}: ${mail.subject}`}>
          <Typography.Text type="secondary">
            To {mail.to} · {formatDateTime(mail.sentAt)}
          </Typography.Text>
          <MailText text={mail.text} />
        </Card>
      ))}
    </Flex>
  );
}
