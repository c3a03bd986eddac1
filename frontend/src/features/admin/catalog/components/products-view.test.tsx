import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch, type SentOperation } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { ProductEditorView } from './product-editor-view';
import { ProductsView } from './products-view';

const product = (n: number) => ({
  __typename: 'Product',
  id: `UHJvZHVjdDo${String(n)}`,
  name: `Lamp ${String(n)}`,
  slug: `lamp-${String(n)}`,
  stock: 5,
  isPublished: false,
  createdAt: '2026-11-01T10:00:00Z',
  price: { __typename: 'Money', amount: '10.00', currency: 'USD' },
  category: null,
  images: [],
});

// Two pages of one product each; the first page ends at cursor "c1".
function productsPage({ variables }: SentOperation) {
  const second = variables.after === 'c1';
  return {
    data: {
      products: {
        __typename: 'ProductConnection',
        totalCount: 2,
        pageInfo: {
          __typename: 'PageInfo',
          hasNextPage: !second,
          hasPreviousPage: second,
          startCursor: second ? 'c2' : 'c1',
          endCursor: second ? 'c2' : 'c1',
        },
        edges: [{ __typename: 'ProductEdge', node: product(second ? 2 : 1) }],
      },
    },
  };
}

function setup(url: string) {
  const { fetch, sent } = fakeGraphqlFetch({
    AdminProducts: productsPage,
    AdminCategories: () => ({ data: { categories: [] } }),
    AdminProduct: () => ({ data: { product: { ...product(2), description: 'A lamp.' } } }),
  });
  const view = renderWithProviders(<ProductsView />, {
    fetch,
    url,
    path: '/admin/products',
    extraRoutes: [{ path: '/admin/products/:productId', element: <ProductEditorView productId="UHJvZHVjdDo2" /> }],
  });
  const location = () => view.router.state.location;
  const productQueries = () => sent.filter((op) => op.operationName === 'AdminProducts').map((op) => op.variables);
  return { ...view, location, productQueries };
}

describe('ProductsView: filters in the URL', () => {
  it('shows and asks for the filters a shared URL holds', async () => {
    const { productQueries } = setup('/admin/products?q=lamp&status=draft&sort=name');

    expect(await screen.findByRole('link', { name: 'Lamp 1' })).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Search products' })).toHaveValue('lamp');
    expect(screen.getByText('Drafts')).toBeInTheDocument();
    expect(productQueries()[0]).toEqual({
      first: 20,
      after: null,
      filter: { search: 'lamp', categoryId: null, isPublished: false },
      sortBy: 'NAME',
    });
  });

  it('puts a new search and the next page in the URL, and the editor leads back to that very page', async () => {
    const { location, productQueries } = setup('/admin/products?status=draft');
    await screen.findByRole('link', { name: 'Lamp 1' });

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search products' }), { target: { value: ' lamp ' } });
    fireEvent.click(screen.getByRole('button', { name: /Search/ }));
    await waitFor(() => expect(location().search).toBe('?q=lamp&status=draft'));

    fireEvent.click(await screen.findByRole('button', { name: /Next/ }));
    await waitFor(() => expect(location().search).toBe('?q=lamp&status=draft&after=c1'));
    expect(await screen.findByText('Page 2 of 2')).toBeInTheDocument();
    expect(productQueries().at(-1)).toMatchObject({ after: 'c1', filter: { search: 'lamp', isPublished: false } });

    fireEvent.click(await screen.findByRole('link', { name: 'Lamp 2' }));
    await waitFor(() => expect(location().pathname).toBe('/admin/products/UHJvZHVjdDo2'));
    fireEvent.click(await screen.findByRole('link', { name: '← All products' }));

    await waitFor(() => expect(location().search).toBe('?q=lamp&status=draft&after=c1'));
    expect(location().pathname).toBe('/admin/products');
    expect(await screen.findByText('Page 2 of 2')).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Search products' })).toHaveValue('lamp');
  });

  it('falls back to the whole list when the editor was opened by a link of its own', async () => {
    const { location } = setup('/admin/products/UHJvZHVjdDo2');

    fireEvent.click(await screen.findByRole('link', { name: '← All products' }));
    await waitFor(() => expect(location().pathname).toBe('/admin/products'));
    expect(location().search).toBe('');
  });
});

describe('ProductsView: quick actions', () => {
  it('holds only the row whose change is on its way; the other rows stay usable', async () => {
    let answer: (body: unknown) => void = () => undefined;
    const pending = new Promise<unknown>((resolve) => {
      answer = resolve;
    });
    const { fetch, sent } = fakeGraphqlFetch({
      AdminProducts: () => ({
        data: {
          products: {
            __typename: 'ProductConnection',
            totalCount: 2,
            pageInfo: { __typename: 'PageInfo', hasNextPage: false, hasPreviousPage: false, startCursor: 'c1', endCursor: 'c2' },
            edges: [1, 2].map((n) => ({ __typename: 'ProductEdge', node: product(n) })),
          },
        },
      }),
      AdminCategories: () => ({ data: { categories: [] } }),
      AdminProductUpdate: () => pending,
    });
    renderWithProviders(<ProductsView />, { fetch, url: '/admin/products', path: '/admin/products' });
    fireEvent.click(await screen.findByRole('button', { name: 'Publish Lamp 1' }));

    await waitFor(() => expect(screen.getByRole('button', { name: 'Publish Lamp 1' })).toBeDisabled());
    expect(screen.getByRole('button', { name: 'Delete Lamp 1' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Publish Lamp 2' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Delete Lamp 2' })).toBeEnabled();
    expect(sent.filter((op) => op.operationName === 'AdminProductUpdate').map((op) => op.variables)).toEqual([
      { id: product(1).id, input: { isPublished: true } },
    ]);

    answer({
      data: {
        productUpdate: {
          __typename: 'ProductPayload',
          product: { ...product(1), isPublished: true, description: '', images: [] },
          userErrors: [],
        },
      },
    });
    expect(await screen.findByText('Lamp 1 is published')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Publish Lamp 1' })).toBeEnabled());
  });
});
