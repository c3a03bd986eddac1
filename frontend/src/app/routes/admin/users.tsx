import { UsersView } from '@/features/admin/users/components/users-view';

export function AdminUsersRoute() {
  return <UsersView />;
}
