import { Button, Popconfirm, Space, Table, Tag } from 'antd';
import type { AdminUsersQuery, Role } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';

export type UserRow = AdminUsersQuery['users']['edges'][number]['node'];

export const roleLabel: Record<Role, string> = { ADMIN: 'Administrator', CUSTOMER: 'Shopper' };

export interface UsersTableProps {
  users: readonly UserRow[];
  /** The signed-in administrator: their own row offers no changes (the API refuses them). */
  viewerId: string | null;
  onChangeRole: (user: UserRow, role: Role) => void;
  onSetActive: (user: UserRow, isActive: boolean) => void;
  /** The account whose change is on its way: its buttons show a busy state, other rows stay usable. */
  busyId?: string | null;
}

/** Accounts with role and state; every change asks for confirmation first. */
export function UsersTable({ users, viewerId, onChangeRole, onSetActive, busyId = null }: UsersTableProps) {
  return (
    <Table<UserRow>
      rowKey="id"
      dataSource={[...users]}
      pagination={false}
      aria-label="Users"
      scroll={{ x: 'max-content' }}
      columns={[
        { title: 'Email', dataIndex: 'email', key: 'email' },
        { title: 'Name', key: 'displayName', render: (_, user) => user.displayName ?? '—' },
        { title: 'Phone', key: 'phone', render: (_, user) => user.phone ?? '—' },
        {
          title: 'Role',
          key: 'role',
          render: (_, user) => <Tag color={user.role === 'ADMIN' ? 'geekblue' : 'default'}>{roleLabel[user.role]}</Tag>,
        },
        {
          title: 'State',
          key: 'state',
          render: (_, user) => (user.isActive ? <Tag color="green">Active</Tag> : <Tag color="red">Deactivated</Tag>),
        },
        {
          title: 'Email verified',
          key: 'emailVerified',
          render: (_, user) =>
            user.emailVerified ? <Tag color="green">Verified</Tag> : <Tag color="orange">Not verified</Tag>,
        },
        { title: 'Registered', key: 'createdAt', render: (_, user) => formatDateTime(user.createdAt) },
        {
          title: 'Actions',
          key: 'actions',
          render: (_, user) => {
            if (user.id === viewerId) return <Tag>You</Tag>;
            const role: Role = user.role === 'ADMIN' ? 'CUSTOMER' : 'ADMIN';
            const roleAction = role === 'ADMIN' ? 'Make administrator' : 'Make shopper';
            const busy = user.id === busyId;
            return (
              <Space wrap>
                <Popconfirm
                  title={`${roleAction}?`}
                  description={
                    role === 'ADMIN'
                      ? `${user.email} will be able to use this console.`
                      : `${user.email} will lose access to this console.`
                  }
                  okText={`Yes, ${roleAction.toLowerCase()}`}
                  cancelText="Keep role"
                  onConfirm={() => onChangeRole(user, role)}
                >
                  <Button size="small" loading={busy} aria-label={`${roleAction}: ${user.email}`}>
                    {roleAction}
                  </Button>
                </Popconfirm>
                {user.isActive ? (
                  <Popconfirm
                    title="Deactivate this account?"
                    description={`${user.email} is signed out everywhere and can no longer sign in.`}
                    okText="Yes, deactivate"
                    okButtonProps={{ danger: true }}
                    cancelText="Keep active"
                    onConfirm={() => onSetActive(user, false)}
                  >
                    <Button size="small" danger loading={busy} aria-label={`Deactivate ${user.email}`}>
                      Deactivate
                    </Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm
                    title="Reactivate this account?"
                    description={`${user.email} can sign in again.`}
                    okText="Yes, reactivate"
                    cancelText="Keep deactivated"
                    onConfirm={() => onSetActive(user, true)}
                  >
                    <Button size="small" loading={busy} aria-label={`Reactivate ${user.email}`}>
                      Reactivate
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            );
          },
        },
      ]}
    />
  );
}
