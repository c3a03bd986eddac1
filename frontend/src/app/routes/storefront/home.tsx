import { CategoryListView } from '@/features/catalog/components/category-list-view';
import { ProductGridView } from '@/features/catalog/components/product-grid-view';
import { FlashSaleListView } from '@/features/seckill/components/flash-sale-list-view';

export function HomeRoute() {
  return (
    <>
      <FlashSaleListView first={6} />
      <CategoryListView />
      <ProductGridView first={12} />
    </>
  );
}
