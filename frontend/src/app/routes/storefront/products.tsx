import { ProductListView } from '@/features/catalog/components/product-list-view';

export function ProductsRoute() {
  return <ProductListView pageSize={12} />;
}
