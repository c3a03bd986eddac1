import { CategoryListView } from '@/features/catalog/components/category-list-view';
import { ProductGridView } from '@/features/catalog/components/product-grid-view';
import { FlashSaleListView } from '@/features/seckill/components/flash-sale-list-view';
import { ProductSale } from '@/features/seckill/components/product-sale';

export function HomeRoute() {
  return (
    <>
      <FlashSaleListView first={6} />
      <CategoryListView />
      <ProductGridView first={12} renderProductExtra={(product) => <ProductSale productId={product.id} compact />} />
    </>
  );
}
