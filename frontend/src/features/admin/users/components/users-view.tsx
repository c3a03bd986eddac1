import { App, Input, Select, Space, Typography } from 'antd';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import type { Role } from '@/gql/graphql';
import { useAdminUsers } from '../hooks/use-admin-users';
import { roleLabel, UsersTable, type UserRow } from './users-table';

const roleOptions = (Object.keys(roleLabel) as Role[]).map((value) => ({ value, label: roleLabel[value] }));
const stateOptions = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Deactivated' },
];

export function UsersView() {
  const users = useAdminUsers();
  const { message } = App.useApp();

  const change = async (user: UserRow, input: { role?: Role; isActive?: boolean }, done: string) => {
    const errors = await users.update(user.id, input);
    if (errors.length) void message.error(errors.join(' '));
    else void message.success(done);
  };

  return (
    <>
      <Typography.Title level={2}>Users</Typography.Title>
      <Space style={{ marginBottom: 16 }} wrap role="search" aria-label="Find users">
        <Input.Search
          aria-label="Search by email"
          placeholder="Search by email"
          allowClear
          style={{ width: 260 }}
          onSearch={(search) => users.setFilter({ ...users.filter, search })}
        />
        <Select<Role>
          allowClear
          aria-label="Filter by role"
          placeholder="Any role"
          style={{ width: 160 }}
          options={roleOptions}
          value={users.filter.role ?? undefined}
          onChange={(role) => users.setFilter({ ...users.filter, role: role ?? null })}
        />
        <Select<string>
          allowClear
          aria-label="Filter by state"
          placeholder="Any state"
          style={{ width: 160 }}
          options={stateOptions}
          value={users.filter.isActive === null ? undefined : users.filter.isActive ? 'active' : 'inactive'}
          onChange={(state) =>
            users.setFilter({ ...users.filter, isActive: state === undefined ? null : state === 'active' })
          }
        />
        <Typography.Text type="secondary">{users.totalCount === 1 ? '1 user' : `${String(users.totalCount)} users`}</Typography.Text>
      </Space>
      <QueryState
        loadingLabel="Loading users"
        fetching={users.fetching}
        error={users.error}
        isEmpty={users.users.length === 0}
        emptyDescription="No users match"
      >
        <UsersTable
          users={users.users}
          viewerId={users.viewerId}
          busyId={users.updatingId}
          onChangeRole={(user, role) =>
            void change(user, { role }, `${user.email} is now ${roleLabel[role].toLowerCase()}`)
          }
          onSetActive={(user, isActive) =>
            void change(user, { isActive }, `${user.email} is ${isActive ? 'active again' : 'deactivated'}`)
          }
        />
        <Pager
          label="User pages"
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
