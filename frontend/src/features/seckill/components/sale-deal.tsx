import { Link } from 'react-router-dom';
import { PicturePlaceholder, Thumbnail } from '@/components/product-picture';
import { Progress } from '@/components/ui/progress';
import { Tag } from '@/components/ui/tag';
import { paths } from '@/config/paths';
import type { FlashSaleFragment } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';
import { discountPercent, soldPercent } from '../utils/discount';
import { useTranslation } from 'react-i18next';

type SaleDealProps = { event: FlashSaleFragment };

/** The sale price, the product's regular price struck through beside it, and the saving in percent. */
export function SalePrice({ event, size = 18 }: SaleDealProps & { size?: number }) {
  const { t } = useTranslation('shop');
  const percent = discountPercent(event.product.price, event.price);
  return (
    <div className="fm-row" style={{ alignItems: 'baseline', gap: 8 }}>
      <span className="fm-danger" style={{ fontSize: size }} aria-label={t('seckill.salePrice')}>
        <strong>{formatMoney(event.price)}</strong>
      </span>
      {percent !== null && (
        <>
          <span className="fm-secondary" aria-label={t('seckill.regularPrice')}>
            <del>{formatMoney(event.product.price)}</del>
          </span>
          <Tag color="red">{t('seckill.discount', { percent })}</Tag>
        </>
      )}
    </div>
  );
}

/** "N left of M" with a bar of how much is sold, and the per-shopper limit. */
export function SaleStock({ event }: SaleDealProps) {
  const { t } = useTranslation('shop');
  return (
    <div>
      <Progress
        percent={soldPercent(event.remainingStock, event.totalStock)}
        showInfo={false}
        active
        color="var(--fm-error)"
        aria-label={t('seckill.sold')}
      />
      <div className="fm-row" style={{ justifyContent: 'space-between', gap: 8 }}>
        <span aria-label={t('seckill.remainingStock')}>
          {t('seckill.left', { remaining: event.remainingStock, total: event.totalStock })}
        </span>
        <span className="fm-secondary">{t('seckill.limit', { count: event.perUserLimit })}</span>
      </div>
    </div>
  );
}

/** The product's first picture (or its initial), linking to `to`. */
export function SalePicture({ event, to }: SaleDealProps & { to: string }) {
  const picture = event.product.cover;
  return (
    <Link to={to} tabIndex={-1} aria-hidden>
      {picture ? <Thumbnail src={picture.thumbnailUrl} alt="" /> : <PicturePlaceholder name={event.product.name} />}
    </Link>
  );
}

/** A link to the product the sale is of. */
export function SaleProductLink({ event }: SaleDealProps) {
  const { t } = useTranslation('shop');
  return (
    <Link to={paths.product(event.product.id)}>{t('seckill.viewProduct', { name: event.product.name })}</Link>
  );
}
