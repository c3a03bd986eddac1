import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import type { CategoryInput, CategoryUpdateInput } from '@/gql/graphql';
import { CategoryCreateMutation, CategoryUpdateMutation } from '../api/mutations';
import { AdminCategoriesQuery } from '../api/queries';
import { buildCategoryTree } from '../utils/category-tree';

const context = { additionalTypenames: ['Category'] };

/** Every category as a tree, with create and update. */
export function useAdminCategories() {
  const [{ data, fetching, error }] = useQuery({ query: AdminCategoriesQuery, context });
  const [created, runCreate] = useMutation(CategoryCreateMutation);
  const [updated, runUpdate] = useMutation(CategoryUpdateMutation);
  const categories = data?.categories;
  const tree = useMemo(() => buildCategoryTree(categories ?? []), [categories]);
  return {
    tree,
    count: categories?.length ?? 0,
    fetching: fetching && !data,
    error: data ? undefined : error,
    saving: created.fetching || updated.fetching,
    create: async (input: CategoryInput) => {
      const result = await runCreate({ input });
      const payload = result.data?.categoryCreate;
      return { error: result.error, category: payload?.category ?? null, userErrors: payload?.userErrors ?? [] };
    },
    update: async (id: string, input: CategoryUpdateInput) => {
      const result = await runUpdate({ id, input });
      const payload = result.data?.categoryUpdate;
      return { error: result.error, category: payload?.category ?? null, userErrors: payload?.userErrors ?? [] };
    },
  };
}
