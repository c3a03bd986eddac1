import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { ProductDetailView } from './product-detail-view';

const image = (n: number) => ({
  __typename: 'ProductImage',
  id: `SW1hZ2U6${String(n)}`,
  url: `/media/products/1/${String(n)}.png`,
  thumbnailUrl: `/media/products/1/${String(n)}-thumb.webp`,
  alt: n === 1 ? 'Front' : '',
  width: 800,
  height: 600,
});

const product = (overrides: Record<string, unknown> = {}) => ({
  data: {
    product: {
      __typename: 'Product',
      id: 'UHJvZHVjdDox',
      name: 'Vinyl One Turntable',
      slug: 'vinyl-one-turntable',
      description: 'Plays records.',
      stock: 3,
      price: { __typename: 'Money', amount: '249.00', currency: 'USD' },
      category: { __typename: 'Category', id: 'Q2F0ZWdvcnk6Mw==', name: 'Audio' },
      images: [image(1), image(2)],
      ...overrides,
    },
  },
});

function renderProduct(answer: unknown) {
  const { fetch } = fakeGraphqlFetch({ Product: () => answer });
  return renderWithProviders(
    <ProductDetailView productId="UHJvZHVjdDox" renderPurchase={(p) => <button type="button">Buy {p.name}</button>} />,
    { fetch, session: createMemorySession() },
  );
}

describe('ProductDetailView', () => {
  it('shows name, price, stock state, pictures and the purchase controls', async () => {
    renderProduct(product());

    expect(await screen.findByRole('heading', { name: 'Vinyl One Turntable' })).toBeInTheDocument();
    expect(screen.getByLabelText('Price')).toHaveTextContent('$249.00');
    expect(screen.getByText('Only 3 left')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Front' })).toHaveAttribute('src', '/media/products/1/1.png');
    expect(screen.getByRole('button', { name: 'Buy Vinyl One Turntable' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Audio' })).toHaveAttribute('href', '/products?category=Q2F0ZWdvcnk6Mw%3D%3D');

    fireEvent.click(within(screen.getByRole('list', { name: 'Pictures' })).getByRole('button', { name: 'Show picture 2' }));

    expect(screen.getByRole('img', { name: 'Vinyl One Turntable' })).toHaveAttribute('src', '/media/products/1/2.png');
  });

  it('shows a placeholder without pictures and says when it is sold out', async () => {
    renderProduct(product({ images: [], stock: 0 }));

    expect(await screen.findByText('Out of stock')).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: 'Vinyl One Turntable' })).toBeNull();
  });

  it('treats an unknown or malformed id as not found', async () => {
    renderProduct({ data: null, errors: [{ message: 'Invalid Product id', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(await screen.findByText('Product not found')).toBeInTheDocument();
  });

  it('says when the product does not exist', async () => {
    renderProduct({ data: { product: null } });
    expect(await screen.findByText('Product not found')).toBeInTheDocument();
  });
});
