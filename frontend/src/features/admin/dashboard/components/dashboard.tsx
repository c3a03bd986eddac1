import { Card, Descriptions, Result, Typography } from 'antd';
import type { AdminDashboardQuery } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';

type Viewer = AdminDashboardQuery['me'];

/** What the console shows to whoever is looking: a sign-in prompt, a refusal, or the dashboard. */
export function Dashboard({ viewer, serverTime }: { viewer: Viewer; serverTime: string | null }) {
  if (!viewer) {
    return <Result status="info" title="Sign in as an administrator to use the console" />;
  }
  if (viewer.role !== 'ADMIN' || !viewer.isActive) {
    return <Result status="403" title="This account cannot use the console" subTitle={viewer.email} />;
  }
  return (
    <>
      <Typography.Title level={2}>Dashboard</Typography.Title>
      <Card>
        <Descriptions
          column={1}
          items={[
            { key: 'email', label: 'Signed in as', children: viewer.email },
            { key: 'time', label: 'Server time', children: serverTime ? formatDateTime(serverTime) : '—' },
          ]}
        />
      </Card>
    </>
  );
}
