import type { ReactElement } from 'react';
import { render as renderDom, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { ProductCardFragment } from '@/gql/graphql';
import { ProductGrid } from './product-grid';

const product = (overrides: Partial<ProductCardFragment>): ProductCardFragment => ({
  __typename: 'Product',
  id: 'UHJvZHVjdDox',
  name: 'Mechanical Keyboard',
  slug: 'mechanical-keyboard',
  stock: 5,
  price: { __typename: 'Money', amount: '129.00', currency: 'USD' },
  category: { __typename: 'Category', id: 'Q2F0ZWdvcnk6MQ==', name: 'Peripherals' },
  images: [],
  ...overrides,
});

// Cards link to their product page, so they need a router.
const render = (ui: ReactElement) => renderDom(<MemoryRouter>{ui}</MemoryRouter>);

describe('ProductGrid', () => {
  it('renders one card per product with its name, price and category', () => {
    render(
      <ProductGrid
        products={[
          product({}),
          product({ id: 'UHJvZHVjdDoy', name: 'USB Hub', price: { __typename: 'Money', amount: '19.5', currency: 'USD' }, category: null }),
        ]}
      />,
    );

    const items = within(screen.getByRole('list', { name: 'Products' })).getAllByRole('listitem');
    expect(items).toHaveLength(2);

    const keyboard = within(items[0]!);
    expect(keyboard.getByRole('heading', { name: 'Mechanical Keyboard' })).toBeInTheDocument();
    expect(keyboard.getByRole('link', { name: 'Mechanical Keyboard' })).toHaveAttribute(
      'href',
      '/products/UHJvZHVjdDox',
    );
    expect(keyboard.getByText('$129.00')).toBeInTheDocument();
    expect(keyboard.getByText('Peripherals')).toBeInTheDocument();

    const hub = within(items[1]!);
    expect(hub.getByRole('heading', { name: 'USB Hub' })).toBeInTheDocument();
    expect(hub.getByText('$19.50')).toBeInTheDocument();
    expect(hub.queryByText('Peripherals')).not.toBeInTheDocument();
  });

  it('shows the first picture as a thumbnail', () => {
    render(
      <ProductGrid
        products={[
          product({
            images: [
              { __typename: 'ProductImage', id: 'SW1hZ2U6MQ==', thumbnailUrl: '/media/products/1/a-thumb.webp', alt: 'Keyboard from above' },
              { __typename: 'ProductImage', id: 'SW1hZ2U6Mg==', thumbnailUrl: '/media/products/1/b-thumb.webp', alt: 'Side' },
            ],
          }),
        ]}
      />,
    );

    const card = screen.getByRole('listitem');
    // Decorative here: the card's heading names the product.
    expect(card.querySelector('img')).toHaveAttribute('src', '/media/products/1/a-thumb.webp');
    expect(within(card).getAllByRole('link')).toHaveLength(1);
  });

  it('marks a product without stock', () => {
    render(<ProductGrid products={[product({ stock: 0 })]} />);

    expect(screen.getByText('Out of stock')).toBeInTheDocument();
  });

  it('falls back to amount and code for a currency Intl does not know', () => {
    render(<ProductGrid products={[product({ price: { __typename: 'Money', amount: '10.00', currency: 'not-a-currency' } })]} />);

    expect(screen.getByText('10.00 not-a-currency')).toBeInTheDocument();
  });
});
