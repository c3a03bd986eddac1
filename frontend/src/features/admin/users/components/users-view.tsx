import { App, Input, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import type { Role } from '@/gql/graphql';
import { useAdminUsers } from '../hooks/use-admin-users';
import { roles, UsersTable, type UserRow } from './users-table';

export function UsersView() {
  const users = useAdminUsers();
  const { t } = useTranslation('console');
  const { message } = App.useApp();

  const change = async (user: UserRow, input: { role?: Role; isActive?: boolean }, done: string) => {
    const errors = await users.update(user.id, input);
    if (errors.length) void message.error(errors.join(' '));
    else void message.success(done);
  };

  return (
    <>
      <Typography.Title level={2}>{t('users.title')}</Typography.Title>
      <Space style={{ marginBottom: 16 }} wrap role="search" aria-label={t('users.find')}>
        <Input.Search
          aria-label={t('users.search')}
          placeholder={t('users.search')}
          allowClear
          style={{ width: 260 }}
          onSearch={(search) => users.setFilter({ ...users.filter, search })}
        />
        <Select<Role>
          allowClear
          aria-label={t('users.filterRole')}
          placeholder={t('users.anyRole')}
          style={{ width: 160 }}
          options={roles.map((role) => ({ value: role, label: t(`users.role.${role}`) }))}
          value={users.filter.role ?? undefined}
          onChange={(role) => users.setFilter({ ...users.filter, role: role ?? null })}
        />
        <Select<string>
          allowClear
          aria-label={t('users.filterState')}
          placeholder={t('users.anyState')}
          style={{ width: 160 }}
          options={[
            { value: 'active', label: t('users.active') },
            { value: 'inactive', label: t('users.inactive') },
          ]}
          value={users.filter.isActive === null ? undefined : users.filter.isActive ? 'active' : 'inactive'}
          onChange={(state) =>
            users.setFilter({ ...users.filter, isActive: state === undefined ? null : state === 'active' })
          }
        />
        <Typography.Text type="secondary">{t('users.count', { count: users.totalCount })}</Typography.Text>
      </Space>
      <QueryState
        loadingLabel={t('users.loading')}
        fetching={users.fetching}
        error={users.error}
        isEmpty={users.users.length === 0}
        emptyDescription={t('users.noMatch')}
      >
        <UsersTable
          users={users.users}
          viewerId={users.viewerId}
          busyId={users.updatingId}
          onChangeRole={(user, role) =>
            void change(user, { role }, t('users.nowRole', { email: user.email, role: t(`users.role.${role}`).toLowerCase() }))
          }
          onSetActive={(user, isActive) =>
            void change(user, { isActive }, t(isActive ? 'users.activeAgain' : 'users.deactivated', { email: user.email }))
          }
        />
        <Pager
          label={t('users.pages')}
          page={users.page}
          pageCount={users.pageCount}
          hasPrevious={users.hasPrevious}
          hasNext={users.hasNext}
          onPrevious={users.previous}
          onNext={users.next}
        />
      </QueryState>
    </>
  );
}
