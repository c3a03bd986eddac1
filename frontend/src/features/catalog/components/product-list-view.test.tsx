import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch, type SentOperation } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { ProductListView } from './product-list-view';

const product = (n: number) => ({
  __typename: 'Product',
  id: `UHJvZHVjdDo${String(n)}`,
  name: `Product ${String(n)}`,
  slug: `product-${String(n)}`,
  stock: 5,
  price: { __typename: 'Money', amount: '10.00', currency: 'USD' },
  category: null,
  images: [],
});

// Two pages of two products; the cursor of the first page's end is "c2".
function productsPage({ variables }: SentOperation) {
  const second = variables.after === 'c2';
  const nodes = second ? [product(3), product(4)] : [product(1), product(2)];
  return {
    data: {
      products: {
        __typename: 'ProductConnection',
        totalCount: 4,
        pageInfo: { __typename: 'PageInfo', hasNextPage: !second, endCursor: second ? 'c4' : 'c2' },
        edges: nodes.map((node, i) => ({ __typename: 'ProductEdge', cursor: `c${String(i)}`, node })),
      },
    },
  };
}

const categories = {
  data: {
    categories: [
      { __typename: 'Category', id: 'Q2F0ZWdvcnk6MQ==', name: 'Audio', slug: 'audio', parent: null },
      { __typename: 'Category', id: 'Q2F0ZWdvcnk6Mg==', name: 'Home', slug: 'home', parent: null },
    ],
  },
};

function setup(url: string) {
  const { fetch, sent } = fakeGraphqlFetch({ ProductList: productsPage, Categories: () => categories });
  const view = renderWithProviders(<ProductListView pageSize={2} />, {
    fetch,
    url,
    path: '/products',
    session: createMemorySession(),
  });
  const location = () => view.router.state.location;
  return { ...view, sent, location };
}

describe('ProductListView: filters in the URL', () => {
  it('shows the filters a shared URL asks for, and asks the API for them', async () => {
    const { sent } = setup('/products?q=tea&category=Q2F0ZWdvcnk6MQ%3D%3D&min=5&max=20&in_stock=1&sort=price_asc');

    expect(screen.getByRole('searchbox', { name: 'Search products' })).toHaveValue('tea');
    expect(screen.getByRole('spinbutton', { name: 'Minimum price' })).toHaveValue('5.00');
    expect(screen.getByRole('spinbutton', { name: 'Maximum price' })).toHaveValue('20.00');
    expect(screen.getByRole('checkbox', { name: 'In stock only' })).toBeChecked();
    expect(screen.getByText('Price: low to high')).toBeInTheDocument();
    expect(await screen.findByRole('list', { name: 'Products' })).toBeInTheDocument();
    expect(screen.getByText('Audio')).toBeInTheDocument();
    expect(sent.find((op) => op.operationName === 'ProductList')?.variables).toEqual({
      first: 2,
      after: null,
      filter: { search: 'tea', categoryId: 'Q2F0ZWdvcnk6MQ==', minPrice: '5', maxPrice: '20', inStock: true },
      sortBy: 'PRICE_ASC',
    });
  });

  it('asks for the plain listing when nothing is filtered', async () => {
    const { sent } = setup('/products');

    expect(await screen.findByRole('list', { name: 'Products' })).toBeInTheDocument();
    expect(sent.find((op) => op.operationName === 'ProductList')?.variables).toEqual({ first: 2, after: null, sortBy: null });
  });

  it('puts a new search in the URL as a new history entry, and the back button restores the old one', async () => {
    const { router, location } = setup('/products?q=tea');
    const search = screen.getByRole('searchbox', { name: 'Search products' });

    fireEvent.change(search, { target: { value: 'kettle' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));

    await waitFor(() => expect(location().search).toBe('?q=kettle'));
    expect(search).toHaveValue('kettle');

    await act(() => router.navigate(-1));

    expect(location().search).toBe('?q=tea');
    expect(search).toHaveValue('tea');
  });

  it('applies the price range and the stock filter, dropping the page cursor', async () => {
    const { location } = setup('/products?sort=newest&after=c2');

    fireEvent.change(screen.getByRole('spinbutton', { name: 'Maximum price' }), { target: { value: '99.5' } });
    fireEvent.blur(screen.getByRole('spinbutton', { name: 'Maximum price' }));
    await waitFor(() => expect(location().search).toBe('?max=99.50&sort=newest'));

    fireEvent.click(screen.getByRole('checkbox', { name: 'In stock only' }));
    await waitFor(() => expect(location().search).toBe('?max=99.50&in_stock=1&sort=newest'));
  });

  it('pages forward with the end cursor and back with the kept one', async () => {
    const { location, sent } = setup('/products?q=mug');
    const list = await screen.findByRole('list', { name: 'Products' });
    expect(within(list).getByRole('link', { name: 'Product 1' })).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 2')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: /Next/ }));

    expect(await screen.findByRole('link', { name: 'Product 3' })).toBeInTheDocument();
    expect(location().search).toBe('?q=mug&after=c2');
    expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
    expect(sent.filter((op) => op.operationName === 'ProductList').at(-1)?.variables).toMatchObject({ first: 2, after: 'c2' });

    fireEvent.click(screen.getByRole('button', { name: /Previous/ }));

    expect(await screen.findByRole('link', { name: 'Product 1' })).toBeInTheDocument();
    expect(location().search).toBe('?q=mug');
  });

  it('goes to the first page from a shared link deep into the list', async () => {
    const { location } = setup('/products?after=c2');
    expect(await screen.findByRole('link', { name: 'Product 3' })).toBeInTheDocument();
    expect(screen.queryByText(/^Page /)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: /Previous/ }));

    await waitFor(() => expect(location().search).toBe(''));
  });
});
