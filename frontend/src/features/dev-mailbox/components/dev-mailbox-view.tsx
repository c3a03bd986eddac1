import { Alert, Button, Flex, Typography } from 'antd';
import { useQuery } from 'urql';
import { QueryState } from '@/components/query-state';
import { normalizeError } from '@/lib/errors';
import { DevMailboxQuery } from '../api/queries';
import { DevMailbox } from './dev-mailbox';

const SHOWN = 50;

/** Development only: the mail the API kept instead of sending (MAIL_BACKEND=mailbox). */
export function DevMailboxView() {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: DevMailboxQuery,
    variables: { first: SHOWN },
    requestPolicy: 'network-only',
  });
  const refused = error && normalizeError(error).code === 'FORBIDDEN';
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          Development mailbox
        </Typography.Title>
        {!refused && (
          <Button onClick={() => refetch({ requestPolicy: 'network-only' })} loading={fetching}>
            Reload
          </Button>
        )}
      </Flex>
      {refused ? (
        <Alert
          type="info"
          showIcon
          title="The development mailbox is only available in development."
          description="This shop sends its mail for real."
        />
      ) : (
        <QueryState loadingLabel="Loading mail" fetching={fetching && !data} error={error}>
          <DevMailbox messages={data?.devMailbox ?? []} />
        </QueryState>
      )}
    </Flex>
  );
}
