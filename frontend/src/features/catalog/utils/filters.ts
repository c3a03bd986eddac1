import type { ProductFilter, ProductSort } from '@/gql/graphql';

// The product list's filters and their place in the URL, so a filtered list can be shared and
// the back button walks through earlier filters. Pure: parse and serialise, nothing else.

/** The sort orders the shop offers, in menu order (labels: `shop:catalog.sort.<value>`). */
export const sortOptions = ['RELEVANCE', 'NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'NAME'] as const satisfies readonly ProductSort[];

export type ProductSortKey = ProductSort;

export interface ProductFilters {
  /** Free text; '' for none. */
  search: string;
  categoryId: string | null;
  /** Decimal strings, as the API takes money ("19.99"). */
  minPrice: string | null;
  maxPrice: string | null;
  inStockOnly: boolean;
  /** null: the API's default order (relevance when searching, else catalogue order). */
  sort: ProductSortKey | null;
}

export const emptyFilters: ProductFilters = {
  search: '',
  categoryId: null,
  minPrice: null,
  maxPrice: null,
  inStockOnly: false,
  sort: null,
};

// URL parameter names: short and readable ("/products?q=tea&sort=price_asc").
const keys = { search: 'q', category: 'category', min: 'min', max: 'max', inStock: 'in_stock', sort: 'sort', after: 'after' };
export const MAX_SEARCH = 200;

/** "12", "12.5", "12.50" → canonical decimal string; anything else (negative, words, too many decimals) → null. */
export function parsePrice(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const text = raw.trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(text)) return null;
  const [whole = '0', fraction] = text.split('.');
  const normalisedWhole = whole.replace(/^0+(?=\d)/, '');
  return fraction === undefined ? normalisedWhole : `${normalisedWhole}.${fraction.padEnd(2, '0')}`;
}

function parseSort(raw: string | null): ProductSortKey | null {
  if (!raw) return null;
  const upper = raw.toUpperCase();
  return sortOptions.find((option) => option === upper) ?? null;
}

/** The filters a URL asks for; unknown or malformed values are ignored, never an error. */
export function parseFilters(params: URLSearchParams): ProductFilters {
  let minPrice = parsePrice(params.get(keys.min));
  let maxPrice = parsePrice(params.get(keys.max));
  if (minPrice !== null && maxPrice !== null && Number(minPrice) > Number(maxPrice)) {
    [minPrice, maxPrice] = [maxPrice, minPrice];
  }
  const inStock = params.get(keys.inStock);
  return {
    search: (params.get(keys.search) ?? '').trim().slice(0, MAX_SEARCH),
    categoryId: params.get(keys.category)?.trim() || null,
    minPrice,
    maxPrice,
    inStockOnly: inStock === '1' || inStock === 'true',
    sort: parseSort(params.get(keys.sort)),
  };
}

/** The URL for `filters` (defaults left out, in a stable order), optionally on the page after `after`. */
export function filtersToSearchParams(filters: ProductFilters, after: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  const search = filters.search.trim();
  if (search) params.set(keys.search, search);
  if (filters.categoryId) params.set(keys.category, filters.categoryId);
  if (filters.minPrice !== null) params.set(keys.min, filters.minPrice);
  if (filters.maxPrice !== null) params.set(keys.max, filters.maxPrice);
  if (filters.inStockOnly) params.set(keys.inStock, '1');
  if (filters.sort) params.set(keys.sort, filters.sort.toLowerCase());
  if (after) params.set(keys.after, after);
  return params;
}

/** The page cursor in the URL (null: first page). */
export function afterFromParams(params: URLSearchParams): string | null {
  return params.get(keys.after) || null;
}

export function hasActiveFilters(filters: ProductFilters): boolean {
  return (
    filters.search !== '' ||
    filters.categoryId !== null ||
    filters.minPrice !== null ||
    filters.maxPrice !== null ||
    filters.inStockOnly
  );
}

/** Variables for `products(filter:, sortBy:)`; undefined parts are left out of the request. */
export function toProductFilterInput(filters: ProductFilters): ProductFilter | undefined {
  const input: ProductFilter = {
    search: filters.search || undefined,
    categoryId: filters.categoryId ?? undefined,
    minPrice: filters.minPrice ?? undefined,
    maxPrice: filters.maxPrice ?? undefined,
    inStock: filters.inStockOnly ? true : undefined,
  };
  return Object.values(input).some((value) => value !== undefined) ? input : undefined;
}
