import { Card, Descriptions, Flex } from 'antd';
import { Link } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useViewer } from '../hooks/use-viewer';
import { PasswordChangeView } from './password-change-view';

export function AccountView() {
  const { viewer, fetching, error } = useViewer();
  return (
    <PageSection title="Account settings">
      <QueryState loadingLabel="Loading account" fetching={fetching && !viewer} error={error}>
        <Flex vertical gap={16}>
          <Card>
            <Descriptions
              column={1}
              items={[
                { key: 'email', label: 'Email', children: viewer?.email ?? '—' },
                { key: 'orders', label: 'Orders', children: <Link to={paths.orders}>See your orders</Link> },
              ]}
            />
          </Card>
          <PasswordChangeView />
        </Flex>
      </QueryState>
    </PageSection>
  );
}
