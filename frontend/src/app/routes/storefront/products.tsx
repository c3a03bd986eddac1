import { ProductListView } from '@/features/catalog/components/product-list-view';
import { ProductSale } from '@/features/seckill/components/product-sale';

export function ProductsRoute() {
  return <ProductListView pageSize={12} renderProductExtra={(product) => <ProductSale productId={product.id} compact />} />;
}
