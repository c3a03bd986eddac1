import { Flex } from 'antd';
import { useParams } from 'react-router-dom';
import { AddToCart } from '@/features/cart/components/add-to-cart';
import { ProductDetailView } from '@/features/catalog/components/product-detail-view';
import { BuyNowButton } from '@/features/checkout/components/review-links';
import { ProductSale } from '@/features/seckill/components/product-sale';

export function ProductRoute() {
  const { productId = '' } = useParams();
  return (
    <ProductDetailView
      key={productId}
      productId={productId}
      renderPurchase={(product) => (
        <Flex vertical gap={8}>
          <ProductSale productId={product.id} />
          <Flex vertical gap={8} className="phone-buy-bar">
            <AddToCart productId={product.id} productName={product.name} stock={product.stock} />
            <BuyNowButton productId={product.id} disabled={product.stock === 0} />
          </Flex>
        </Flex>
      )}
    />
  );
}
