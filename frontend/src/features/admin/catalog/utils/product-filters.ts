import type { ProductFilter, ProductSort } from '@/gql/graphql';

// The admin products list's filters and their place in the URL, so a filtered page can be shared
// and the back button from the editor returns to it. Pure: parse and serialise, nothing else.

export type PublishedFilter = 'published' | 'draft' | null;

export interface ProductListFilters {
  /** Free text; '' for none. */
  search: string;
  categoryId: string | null;
  published: PublishedFilter;
  /** null: the API's default order. */
  sort: ProductSort | null;
}

export const noProductFilters: ProductListFilters = { search: '', categoryId: null, published: null, sort: null };

/** The sort choices, in menu order (their labels are console.json's `products.sort.<value>`). */
export const productSorts = ['NEWEST', 'NAME', 'PRICE_ASC', 'PRICE_DESC', 'RELEVANCE'] as const satisfies readonly ProductSort[];
// URL parameter names: "/admin/products?q=lamp&status=draft&sort=newest".
const keys = { search: 'q', category: 'category', status: 'status', sort: 'sort', after: 'after' };
const MAX_SEARCH = 200;

function parsePublished(raw: string | null): PublishedFilter {
  return raw === 'published' || raw === 'draft' ? raw : null;
}

function parseSort(raw: string | null): ProductSort | null {
  const upper = raw?.toUpperCase();
  return productSorts.find((sort) => sort === upper) ?? null;
}

/** The filters a URL asks for; unknown or malformed values are ignored, never an error. */
export function parseProductListFilters(params: URLSearchParams): ProductListFilters {
  return {
    search: (params.get(keys.search) ?? '').trim().slice(0, MAX_SEARCH),
    categoryId: params.get(keys.category)?.trim() || null,
    published: parsePublished(params.get(keys.status)),
    sort: parseSort(params.get(keys.sort)),
  };
}

/** The URL for `filters` (defaults left out, in a stable order), optionally on the page after `after`. */
export function productListFiltersToSearchParams(
  filters: ProductListFilters,
  after: string | null = null,
): URLSearchParams {
  const params = new URLSearchParams();
  const search = filters.search.trim();
  if (search) params.set(keys.search, search);
  if (filters.categoryId) params.set(keys.category, filters.categoryId);
  if (filters.published) params.set(keys.status, filters.published);
  if (filters.sort) params.set(keys.sort, filters.sort.toLowerCase());
  if (after) params.set(keys.after, after);
  return params;
}

/** The page cursor in the URL (null: first page). */
export function productListAfter(params: URLSearchParams): string | null {
  return params.get(keys.after) || null;
}

export function hasProductFilters(filters: ProductListFilters): boolean {
  return filters.search !== '' || filters.categoryId !== null || filters.published !== null;
}

/** Variables for `products(filter:)`, drafts included unless a status is chosen. */
export function toAdminProductFilter(filters: ProductListFilters): ProductFilter {
  return {
    search: filters.search.trim() || null,
    categoryId: filters.categoryId,
    isPublished: filters.published === null ? null : filters.published === 'published',
  };
}
