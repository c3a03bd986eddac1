import { Button, Popconfirm, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdminUsersQuery, Role } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';

export type UserRow = AdminUsersQuery['users']['edges'][number]['node'];

/** The roles in menu order (their words are console.json's `users.role.<role>`). */
export const roles: readonly Role[] = ['ADMIN', 'CUSTOMER'];

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
  const { t } = useTranslation('console');
  return (
    <Table<UserRow>
      rowKey="id"
      dataSource={[...users]}
      pagination={false}
      aria-label={t('users.table.label')}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('users.table.email'), dataIndex: 'email', key: 'email' },
        { title: t('users.table.name'), key: 'displayName', render: (_, user) => user.displayName ?? '—' },
        { title: t('users.table.phone'), key: 'phone', render: (_, user) => user.phone ?? '—' },
        {
          title: t('users.table.role'),
          key: 'role',
          render: (_, user) => <Tag color={user.role === 'ADMIN' ? 'geekblue' : 'default'}>{t(`users.role.${user.role}`)}</Tag>,
        },
        {
          title: t('users.table.state'),
          key: 'state',
          render: (_, user) => user.isActive ? (
              <Tag color="green">{t('users.active')}</Tag>
            ) : (
              <Tag color="red">{t('users.inactive')}</Tag>
            ),
        },
        {
          title: t('users.table.emailVerified'),
          key: 'emailVerified',
          render: (_, user) =>
            user.emailVerified ? (
              <Tag color="green">{t('users.table.verified')}</Tag>
            ) : (
              <Tag color="orange">{t('users.table.notVerified')}</Tag>
            ),
        },
        { title: t('users.table.registered'), key: 'createdAt', render: (_, user) => formatDateTime(user.createdAt) },
        {
          title: t('users.table.actions'),
          key: 'actions',
          render: (_, user) => {
            if (user.id === viewerId) return <Tag>{t('users.table.you')}</Tag>;
            const role: Role = user.role === 'ADMIN' ? 'CUSTOMER' : 'ADMIN';
            const roleAction = role === 'ADMIN' ? t('users.table.makeAdmin') : t('users.table.makeShopper');
            const busy = user.id === busyId;
            return (
              <Space wrap>
                <Popconfirm
                  title={t('users.table.roleConfirm', { action: roleAction })}
                  description={
                    role === 'ADMIN'
                      ? t('users.table.gainsAccess', { email: user.email })
                      : t('users.table.losesAccess', { email: user.email })
                  }
                  okText={t('users.table.yes', { action: roleAction.toLowerCase() })}
                  cancelText={t('users.table.keepRole')}
                  onConfirm={() => onChangeRole(user, role)}
                >
                  <Button size="small" loading={busy} aria-label={t('users.table.roleNamed', { action: roleAction, email: user.email })}>
                    {roleAction}
                  </Button>
                </Popconfirm>
                {user.isActive ? (
                  <Popconfirm
                    title={t('users.table.deactivateConfirm')}
                    description={t('users.table.deactivateDescription', { email: user.email })}
                    okText={t('users.table.yesDeactivate')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('users.table.keepActive')}
                    onConfirm={() => onSetActive(user, false)}
                  >
                    <Button size="small" danger loading={busy} aria-label={t('users.table.deactivateNamed', { email: user.email })}>
                      {t('users.table.deactivate')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm
                    title={t('users.table.reactivateConfirm')}
                    description={t('users.table.reactivateDescription', { email: user.email })}
                    okText={t('users.table.yesReactivate')}
                    cancelText={t('users.table.keepDeactivated')}
                    onConfirm={() => onSetActive(user, true)}
                  >
                    <Button size="small" loading={busy} aria-label={t('users.table.reactivateNamed', { email: user.email })}>
                      {t('users.table.reactivate')}
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
