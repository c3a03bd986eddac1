import { Card, Descriptions, Flex, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useViewer } from '../hooks/use-viewer';
import { EmailVerificationView } from './email-verification-view';
import { PasswordChangeView } from './password-change-view';
import { ProfileForm } from './profile-form';

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
                {
                  key: 'verified',
                  label: 'Email address',
                  children: viewer?.emailVerified ? (
                    <Tag color="green">Verified</Tag>
                  ) : (
                    <Tag color="orange">Not verified</Tag>
                  ),
                },
                { key: 'orders', label: 'Orders', children: <Link to={paths.orders}>See your orders</Link> },
                { key: 'addresses', label: 'Addresses', children: <Link to={paths.addresses}>Your address book</Link> },
              ]}
            />
          </Card>
          {viewer && <ProfileForm key={viewer.id} displayName={viewer.displayName ?? null} phone={viewer.phone ?? null} />}
          <EmailVerificationView title="Verify your email address" always />
          <PasswordChangeView />
        </Flex>
      </QueryState>
    </PageSection>
  );
}
