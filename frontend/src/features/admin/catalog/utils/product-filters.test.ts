import { describe, expect, it } from 'vitest';
import {
  hasProductFilters,
  noProductFilters,
  parseProductListFilters,
  productListAfter,
  productListFiltersToSearchParams,
  toAdminProductFilter,
  type ProductListFilters,
} from './product-filters';

const url = (query: string) => new URLSearchParams(query);

describe('admin product filters in the URL', () => {
  it('round-trips every filter and the page cursor', () => {
    const filters: ProductListFilters = {
      search: 'smart lamp',
      categoryId: 'Q2F0ZWdvcnk6Mg==',
      published: 'draft',
      sort: 'PRICE_DESC',
    };
    const params = productListFiltersToSearchParams(filters, 'Y3Vyc29yOjIw');

    expect(params.toString()).toBe('q=smart+lamp&category=Q2F0ZWdvcnk6Mg%3D%3D&status=draft&sort=price_desc&after=Y3Vyc29yOjIw');
    expect(parseProductListFilters(url(params.toString()))).toEqual(filters);
    expect(productListAfter(url(params.toString()))).toBe('Y3Vyc29yOjIw');
  });

  it('leaves defaults out, so the unfiltered first page is the bare path', () => {
    expect(productListFiltersToSearchParams(noProductFilters).toString()).toBe('');
    expect(parseProductListFilters(url(''))).toEqual(noProductFilters);
    expect(productListAfter(url(''))).toBeNull();
    expect(hasProductFilters(noProductFilters)).toBe(false);
  });

  it('ignores unknown or malformed values instead of failing', () => {
    expect(parseProductListFilters(url('q=%20%20&category=%20&status=archived&sort=cheapest&after='))).toEqual(
      noProductFilters,
    );
    expect(parseProductListFilters(url('status=published&sort=Newest')).published).toBe('published');
    expect(parseProductListFilters(url('sort=Newest')).sort).toBe('NEWEST');
    expect(parseProductListFilters(url(`q=${'x'.repeat(300)}`)).search).toHaveLength(200);
  });

  it('asks the API for drafts too unless a status is chosen', () => {
    expect(toAdminProductFilter(noProductFilters)).toEqual({ search: null, categoryId: null, isPublished: null });
    expect(toAdminProductFilter({ ...noProductFilters, search: ' lamp ', published: 'published' })).toEqual({
      search: 'lamp',
      categoryId: null,
      isPublished: true,
    });
    expect(toAdminProductFilter({ ...noProductFilters, published: 'draft' }).isPublished).toBe(false);
  });
});
