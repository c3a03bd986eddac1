import { CategoriesView } from '@/features/admin/catalog/components/categories-view';

export function AdminCategoriesRoute() {
  return <CategoriesView />;
}
