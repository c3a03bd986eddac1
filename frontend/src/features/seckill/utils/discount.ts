import type { MoneyValue } from '@/utils/format';

/**
 * The sale's discount on the regular price in whole percent, rounded down so that the shop never
 * claims more than it gives; null when there is none to show (no saving, another currency, no price).
 */
export function discountPercent(regular: MoneyValue, sale: MoneyValue): number | null {
  if (regular.currency !== sale.currency) return null;
  const regularCents = Math.round(Number(regular.amount) * 100);
  const saleCents = Math.round(Number(sale.amount) * 100);
  if (!(regularCents > 0) || !(saleCents >= 0) || saleCents >= regularCents) return null;
  const percent = Math.floor(((regularCents - saleCents) * 100) / regularCents);
  return percent > 0 ? percent : null;
}

/** Units sold as a whole percent of the sale's stock (100 for a sale without stock). */
export function soldPercent(remaining: number, total: number): number {
  if (total <= 0) return 100;
  return Math.min(100, Math.max(0, Math.round(((total - remaining) / total) * 100)));
}
