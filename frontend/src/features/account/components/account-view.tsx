import { Card, Descriptions, Flex, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useViewer } from '../hooks/use-viewer';
import { EmailVerificationView } from './email-verification-view';
import { PasswordChangeView } from './password-change-view';
import { ProfileForm } from './profile-form';
import { useTranslation } from 'react-i18next';

export function AccountView() {
  const { t } = useTranslation('shop');
  const { viewer, fetching, error } = useViewer();
  return (
    <PageSection title={t('account.settings')}>
      <QueryState loadingLabel={t('account.loading')} fetching={fetching && !viewer} error={error}>
        <Flex vertical gap={16}>
          <Card>
            <Descriptions
              column={1}
              items={[
                { key: 'email', label: t('account.email'), children: viewer?.email ?? '—' },
                {
                  key: 'verified',
                  label: t('account.emailAddress'),
                  children: viewer?.emailVerified ? (
                    <Tag color="green">{t('account.verified')}</Tag>
                  ) : (
                    <Tag color="orange">{t('account.notVerified')}</Tag>
                  ),
                },
                { key: 'orders', label: t('account.orders'), children: <Link to={paths.orders}>{t('account.seeOrders')}</Link> },
                { key: 'addresses', label: t('account.addresses'), children: <Link to={paths.addresses}>{t('account.addressBook')}</Link> },
              ]}
            />
          </Card>
          {viewer && <ProfileForm key={viewer.id} displayName={viewer.displayName ?? null} phone={viewer.phone ?? null} />}
          <EmailVerificationView title={t('account.verifyEmail')} always />
          <PasswordChangeView />
        </Flex>
      </QueryState>
    </PageSection>
  );
}
