import { useParams } from 'react-router-dom';
import { AddToCart } from '@/features/cart/components/add-to-cart';
import { ProductDetailView } from '@/features/catalog/components/product-detail-view';

export function ProductRoute() {
  const { productId = '' } = useParams();
  return (
    <ProductDetailView
      key={productId}
      productId={productId}
      renderPurchase={(product) => <AddToCart productId={product.id} productName={product.name} stock={product.stock} />}
    />
  );
}
