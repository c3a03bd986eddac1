import { describe, expect, it } from 'vitest';
import { productFields, toProductInput, toProductUpdateInput, type ProductFormValues } from './product-form';
import { sortUserErrors } from './user-errors';

describe('sortUserErrors', () => {
  it('puts input errors on their fields and everything else in the general list', () => {
    const sorted = sortUserErrors(
      [
        { field: ['input', 'price'], message: 'Use at most 2 decimal places', code: 'INVALID' },
        { field: ['input', 'slug'], message: 'This slug is already used', code: 'UNIQUE' },
        { field: ['stock'], message: 'Stock must be between 0 and 1000000', code: 'INVALID' },
        { field: ['input', 'price'], message: 'Use at most 2 decimal places', code: 'INVALID' },
        { field: ['id'], message: 'No such product', code: 'NOT_FOUND' },
        { field: null, message: 'Something else', code: 'INVALID' },
      ],
      productFields,
    );

    expect(sorted.byField).toEqual({
      price: ['Use at most 2 decimal places'],
      slug: ['This slug is already used'],
      stock: ['Stock must be between 0 and 1000000'],
    });
    expect(sorted.general).toEqual(['We could not find that. It may have been removed.', 'Something else']);
  });
});

describe('product form values', () => {
  const initial: ProductFormValues = {
    name: 'Aurora',
    slug: 'aurora',
    description: 'A phone',
    price: '19.90',
    stock: 4,
    categoryId: 'Q2F0ZWdvcnk6MQ==',
    isPublished: false,
  };

  it('makes a new product, a blank slug left to the API', () => {
    expect(toProductInput({ ...initial, name: ' Aurora ', slug: '  ' })).toEqual({
      name: 'Aurora',
      slug: null,
      description: 'A phone',
      price: '19.90',
      stock: 4,
      categoryId: 'Q2F0ZWdvcnk6MQ==',
      isPublished: false,
    });
  });

  it('sends only what changed, never the stock', () => {
    expect(toProductUpdateInput({ ...initial }, initial)).toEqual({});
    expect(toProductUpdateInput({ ...initial, price: '21.00', stock: 99, categoryId: null, slug: '' }, initial)).toEqual({
      price: '21.00',
      categoryId: null,
      slug: null,
    });
  });
});
