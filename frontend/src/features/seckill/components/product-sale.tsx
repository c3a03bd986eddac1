import { Alert, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { FlashSaleFragment } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';
import { discountPercent } from '../utils/discount';
import { useProductSale } from '../hooks/use-product-sale';
import { useTranslation } from 'react-i18next';

function useSaleLabel(sale: FlashSaleFragment) {
  const { t } = useTranslation('shop');
  const price = formatMoney(sale.price);
  return sale.status === 'SCHEDULED' ? t('seckill.productSaleUpcoming', { price }) : t('seckill.productSaleLive', { price });
}

/** On a product page: the product's live or upcoming flash sale, with a link to it. */
export function ProductSaleNotice({ sale }: { sale: FlashSaleFragment }) {
  const { t } = useTranslation('shop');
  const percent = discountPercent(sale.product.price, sale.price);
  return (
    <Alert
      type={sale.status === 'SCHEDULED' ? 'info' : 'warning'}
      showIcon
      aria-label={t('seckill.productSale')}
      title={
        <>
          {useSaleLabel(sale)} {percent !== null && <Tag color="red">{t('seckill.discount', { percent })}</Tag>}
        </>
      }
      action={<Link to={paths.flashSale(sale.id)}>{t('seckill.productSaleLink')}</Link>}
    />
  );
}

/** On a product card: a small tag linking to the product's live or upcoming flash sale. */
export function ProductSaleTag({ sale }: { sale: FlashSaleFragment }) {
  return (
    <Link to={paths.flashSale(sale.id)}>
      <Tag color={sale.status === 'SCHEDULED' ? 'blue' : 'red'}>{useSaleLabel(sale)}</Tag>
    </Link>
  );
}

/** The sale notice of one product, or nothing (one shared query for the whole page). */
export function ProductSale({ productId, compact = false }: { productId: string; compact?: boolean }) {
  const sale = useProductSale(productId);
  if (!sale) return null;
  return compact ? <ProductSaleTag sale={sale} /> : <ProductSaleNotice sale={sale} />;
}
