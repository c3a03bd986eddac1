import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { i18n } from '@/lib/i18n';

/** Few enough left that we say how many. */
export const LOW_STOCK = 10;

export function stockLabel(stock: number): string {
  if (stock <= 0) return i18n.t('shop:stock.out');
  if (stock <= LOW_STOCK) return i18n.t('shop:stock.low', { count: stock });
  return i18n.t('shop:stock.in');
}

export function StockTag({ stock }: { stock: number }) {
  useTranslation('shop');
  const color = stock <= 0 ? 'red' : stock <= LOW_STOCK ? 'orange' : 'green';
  return <Tag color={color}>{stockLabel(stock)}</Tag>;
}
