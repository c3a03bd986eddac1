import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { Role, UserUpdateInput } from '@/gql/graphql';
import { normalizeError } from '@/lib/errors';
import { AdminUserUpdateMutation } from '../api/mutations';
import { AdminUsersQuery } from '../api/queries';

const PAGE_SIZE = 20;

export interface UsersFilterValue {
  search: string;
  role: Role | null;
  isActive: boolean | null;
}

/** Accounts, oldest first, searched by email, with the role and activation changes. */
export function useAdminUsers() {
  const [filter, setFilterState] = useState<UsersFilterValue>({ search: '', role: null, isActive: null });
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: AdminUsersQuery,
    variables: {
      first: PAGE_SIZE,
      after,
      filter: { search: filter.search.trim() || null, role: filter.role, isActive: filter.isActive },
    },
    requestPolicy: 'cache-and-network',
  });
  const [, runUpdate] = useMutation(AdminUserUpdateMutation);
  // The account whose change is on its way: only its row shows a busy state.
  const [updatingId, setUpdatingId] = useState<string | null>(null);
  const connection = data?.users;
  const totalCount = connection?.totalCount ?? 0;
  return {
    users: connection?.edges.map((edge) => edge.node) ?? [],
    viewerId: data?.me?.id ?? null,
    totalCount,
    fetching: fetching && !data,
    error,
    filter,
    setFilter: (next: UsersFilterValue) => {
      setFilterState(next);
      setCursors([null]);
    },
    page: cursors.length,
    pageCount: Math.max(1, Math.ceil(totalCount / PAGE_SIZE)),
    hasNext: connection?.pageInfo.hasNextPage ?? false,
    hasPrevious: cursors.length > 1,
    next: () => {
      const end = connection?.pageInfo.endCursor;
      if (end) setCursors([...cursors, end]);
    },
    previous: () => setCursors(cursors.slice(0, -1)),
    updatingId,
    update: async (id: string, input: UserUpdateInput): Promise<string[]> => {
      setUpdatingId(id);
      const result = await runUpdate({ id, input }).finally(() => setUpdatingId(null));
      if (result.error) return [normalizeError(result.error).message];
      return result.data?.userUpdate.userErrors.map((e) => e.message) ?? [];
    },
  };
}
