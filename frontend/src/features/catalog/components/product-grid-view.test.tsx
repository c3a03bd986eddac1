import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createMemorySession } from '@/lib/session';
import { renderWithProviders } from '@/testing/render';
import { ProductGridView } from './product-grid-view';

// The view runs through the real client; only the network answer is faked.
function renderWithResponse(response: () => Promise<Response>) {
  return renderWithProviders(<ProductGridView first={12} />, { fetch: response, session: createMemorySession() });
}

const connection = (names: string[]) => ({
  data: {
    products: {
      totalCount: names.length,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: names.map((name, index) => ({
        cursor: `c${String(index)}`,
        node: {
          __typename: 'Product',
          id: `p${String(index)}`,
          name,
          slug: name.toLowerCase(),
          stock: 3,
          price: { __typename: 'Money', amount: '5.00', currency: 'EUR' },
          category: null,
          images: [],
        },
      })),
    },
  },
});

describe('ProductGridView', () => {
  it('shows a loading state, then the products', async () => {
    renderWithResponse(() => Promise.resolve(Response.json(connection(['Tea', 'Coffee']))));

    expect(screen.getByRole('status', { name: 'Loading products' })).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Products' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).getByRole('heading', { name: 'Coffee' })).toBeInTheDocument();
    expect(screen.queryByRole('status', { name: 'Loading products' })).not.toBeInTheDocument();
  });

  it('shows an empty state when there are no products', async () => {
    renderWithResponse(() => Promise.resolve(Response.json(connection([]))));

    expect(await screen.findByText('No products yet')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Products' })).not.toBeInTheDocument();
  });

  it('shows the normalised server message when the query fails', async () => {
    renderWithResponse(() =>
      Promise.resolve(
        Response.json({ data: null, errors: [{ message: 'Catalog is resting', extensions: { code: 'UNAVAILABLE', retryAfter: 30 } }] }),
      ),
    );

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Catalog is resting');
    expect(alert).toHaveTextContent('Try again in 30 s.');
  });
});
