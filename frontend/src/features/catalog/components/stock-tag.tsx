import { Tag } from 'antd';

/** Few enough left that we say how many. */
export const LOW_STOCK = 10;

export function stockLabel(stock: number): string {
  if (stock <= 0) return 'Out of stock';
  if (stock <= LOW_STOCK) return `Only ${String(stock)} left`;
  return 'In stock';
}

export function StockTag({ stock }: { stock: number }) {
  const color = stock <= 0 ? 'red' : stock <= LOW_STOCK ? 'orange' : 'green';
  return <Tag color={color}>{stockLabel(stock)}</Tag>;
}
