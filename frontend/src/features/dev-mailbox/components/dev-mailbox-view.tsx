import { Alert, Button, Flex, Typography } from 'antd';
import { useQuery } from 'urql';
import { QueryState } from '@/components/query-state';
import { normalizeError } from '@/lib/errors';
import { DevMailboxQuery } from '../api/queries';
import { DevMailbox } from './dev-mailbox';
import { useTranslation } from 'react-i18next';

const SHOWN = 50;

/** Development only: the mail the API kept instead of sending (MAIL_BACKEND=mailbox). */
export function DevMailboxView() {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: DevMailboxQuery,
    variables: { first: SHOWN },
    requestPolicy: 'network-only',
  });
  const { t } = useTranslation('shop');
  const refused = error && normalizeError(error).code === 'FORBIDDEN';
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('mailbox.title')}
        </Typography.Title>
        {!refused && (
          <Button onClick={() => refetch({ requestPolicy: 'network-only' })} loading={fetching}>
            {t('mailbox.reload')}
          </Button>
        )}
      </Flex>
      {refused ? (
        <Alert
          type="info"
          showIcon
          title={t('mailbox.devOnly')}
          description={t('mailbox.realMail')}
        />
      ) : (
        <QueryState loadingLabel={t('mailbox.loading')} fetching={fetching && !data} error={error}>
          <DevMailbox messages={data?.devMailbox ?? []} />
        </QueryState>
      )}
    </Flex>
  );
}
