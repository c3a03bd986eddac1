import { describe, expect, it } from 'vitest';
import {
  afterFromParams,
  emptyFilters,
  filtersToSearchParams,
  hasActiveFilters,
  parseFilters,
  parsePrice,
  toProductFilterInput,
  type ProductFilters,
} from './filters';

const url = (query: string) => new URLSearchParams(query);

describe('product filters in the URL', () => {
  it('reads every filter from the URL', () => {
    expect(parseFilters(url('q=green+tea&category=Q2F0ZWdvcnk6Mg%3D%3D&min=5&max=19.9&in_stock=1&sort=price_asc'))).toEqual({
      search: 'green tea',
      categoryId: 'Q2F0ZWdvcnk6Mg==',
      minPrice: '5',
      maxPrice: '19.90',
      inStockOnly: true,
      sort: 'PRICE_ASC',
    });
  });

  it('gives the defaults for an empty URL', () => {
    expect(parseFilters(url(''))).toEqual(emptyFilters);
    expect(hasActiveFilters(parseFilters(url('')))).toBe(false);
  });

  it('ignores malformed values instead of failing', () => {
    expect(parseFilters(url('min=-3&max=abc&sort=cheapest&in_stock=maybe&q=%20%20'))).toEqual(emptyFilters);
  });

  it('swaps a price range given the wrong way round', () => {
    expect(parseFilters(url('min=50&max=10'))).toMatchObject({ minPrice: '10', maxPrice: '50' });
  });

  it('writes only what differs from the defaults, in a stable order', () => {
    const filters: ProductFilters = { ...emptyFilters, sort: 'NEWEST', search: ' mug ', maxPrice: '20' };

    expect(filtersToSearchParams(filters).toString()).toBe('q=mug&max=20&sort=newest');
    expect(filtersToSearchParams(emptyFilters).toString()).toBe('');
  });

  it('round-trips: URL → filters → URL → the same filters', () => {
    const filters: ProductFilters = {
      search: 'usb hub',
      categoryId: 'Q2F0ZWdvcnk6Mw==',
      minPrice: '0.50',
      maxPrice: '100',
      inStockOnly: true,
      sort: 'PRICE_DESC',
    };

    const params = filtersToSearchParams(filters, 'cursor-2');

    expect(parseFilters(new URLSearchParams(params.toString()))).toEqual(filters);
    expect(afterFromParams(params)).toBe('cursor-2');
  });

  it('normalises prices to decimal strings and refuses what money cannot be', () => {
    expect(parsePrice('007')).toBe('7');
    expect(parsePrice('7.5')).toBe('7.50');
    expect(parsePrice('7.555')).toBeNull();
    expect(parsePrice('1e3')).toBeNull();
    expect(parsePrice('')).toBeNull();
  });

  it('builds the API filter input, leaving unset parts out', () => {
    expect(toProductFilterInput(emptyFilters)).toBeUndefined();
    expect(toProductFilterInput({ ...emptyFilters, search: 'tea', inStockOnly: true })).toEqual({
      search: 'tea',
      categoryId: undefined,
      minPrice: undefined,
      maxPrice: undefined,
      inStock: true,
    });
  });
});
