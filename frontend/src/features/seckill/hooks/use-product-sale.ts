import type { FlashSaleFragment } from '@/gql/graphql';
import { useFlashSales } from './use-flash-sales';

/** How many live and how many upcoming sales a product page or product list looks through. */
export const PRODUCT_SALES_FIRST = 50;

/**
 * The live (else the next upcoming) sale of a product. Every caller on a page asks the same
 * `FlashSales` query (the schema has no sales on a product), so urql sends it once for the whole
 * page and each product is matched here, on the client.
 */
export function useProductSale(productId: string): FlashSaleFragment | null {
  const { events } = useFlashSales(PRODUCT_SALES_FIRST);
  return findProductSale(events, productId);
}

/** The first sale of the product in `events` (the query lists live sales before upcoming ones). */
export function findProductSale(events: readonly FlashSaleFragment[], productId: string): FlashSaleFragment | null {
  return events.find((event) => event.product.id === productId && event.status !== 'ENDED') ?? null;
}
