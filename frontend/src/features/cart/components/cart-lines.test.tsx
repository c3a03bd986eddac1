import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CartDetailFragment } from '@/gql/graphql';
import { CartLines } from './cart-lines';

const money = (amount: string) => ({ __typename: 'Money' as const, amount, currency: 'USD' });

const cart: CartDetailFragment = {
  __typename: 'Cart',
  id: 'Q2FydDox',
  quantity: 3,
  subtotal: money('1059.97'),
  lines: [
    {
      __typename: 'CartLine',
      id: 'Q2FydExpbmU6MQ==',
      quantity: 1,
      total: money('999.99'),
      product: { __typename: 'Product', id: 'UHJvZHVjdDox', name: 'Vinyl One Turntable', slug: 'vinyl-one-turntable', stock: 40, price: money('999.99') },
    },
    {
      __typename: 'CartLine',
      id: 'Q2FydExpbmU6Mg==',
      quantity: 2,
      total: money('59.98'),
      product: { __typename: 'Product', id: 'UHJvZHVjdDoy', name: 'Brew Master Kettle', slug: 'brew-master-kettle', stock: 5, price: money('29.99') },
    },
  ],
};

function renderCart(props: Partial<Parameters<typeof CartLines>[0]> = {}) {
  const onQuantityChange = vi.fn();
  const onRemove = vi.fn();
  render(
    <MemoryRouter>
      <CartLines cart={cart} onQuantityChange={onQuantityChange} onRemove={onRemove} {...props} />
    </MemoryRouter>,
  );
  return { onQuantityChange, onRemove };
}

describe('CartLines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("shows each line's price, quantity and total, and the cart's subtotal and units", () => {
    renderCart();

    const table = screen.getByRole('table', { name: 'Cart lines' });
    const kettle = within(table).getByRole('row', { name: /Brew Master Kettle/ });
    expect(within(kettle).getByText('$29.99')).toBeInTheDocument();
    expect(within(kettle).getByRole('spinbutton', { name: 'Quantity of Brew Master Kettle' })).toHaveValue('2');
    expect(screen.getByLabelText('Total for Brew Master Kettle')).toHaveTextContent('$59.98');
    expect(screen.getByLabelText('Total for Vinyl One Turntable')).toHaveTextContent('$999.99');

    const summary = screen.getByRole('group', { name: 'Cart summary' });
    expect(within(summary).getByText('Subtotal (3 items)')).toBeInTheDocument();
    expect(screen.getByLabelText('Subtotal')).toHaveTextContent('$1,059.97');
  });

  it('shows the server subtotal as is, even with thousands and odd cents', () => {
    renderCart({ cart: { ...cart, quantity: 1, subtotal: money('12345.6') } });

    expect(screen.getByLabelText('Subtotal')).toHaveTextContent('$12,345.60');
    expect(screen.getByText('Subtotal (1 item)')).toBeInTheDocument();
  });

  it('sends a quantity once the shopper stops typing, not per keystroke', () => {
    const { onQuantityChange } = renderCart();
    const input = screen.getByRole('spinbutton', { name: 'Quantity of Vinyl One Turntable' });

    fireEvent.change(input, { target: { value: '1' } });
    fireEvent.change(input, { target: { value: '12' } });
    act(() => {
      vi.advanceTimersByTime(100);
    });
    fireEvent.change(input, { target: { value: '3' } });
    act(() => {
      vi.advanceTimersByTime(500);
    });

    expect(onQuantityChange).toHaveBeenCalledOnce();
    expect(onQuantityChange).toHaveBeenCalledWith('Q2FydExpbmU6MQ==', 3);
  });

  it('removes a line by its named button', () => {
    const { onRemove } = renderCart();

    fireEvent.click(screen.getByRole('button', { name: 'Remove Brew Master Kettle' }));

    expect(onRemove).toHaveBeenCalledWith('Q2FydExpbmU6Mg==');
  });

  it('shows the checkout control it is given', () => {
    renderCart({ checkout: <button type="button">Checkout</button> });

    expect(screen.getByRole('button', { name: 'Checkout' })).toBeInTheDocument();
  });
});

describe('CartLines at phone width', () => {
  const desktop = window.matchMedia.bind(window);
  beforeEach(() => {
    // antd's xs breakpoint is (max-width: 575px): a 375 px phone matches it and nothing wider.
    window.matchMedia = (query: string) => ({ ...desktop(query), matches: query.includes('max-width: 575') });
  });
  afterEach(() => {
    window.matchMedia = desktop;
  });

  it('shows one card a line instead of the table, with quantity, total and remove', () => {
    const { onRemove } = renderCart();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    const [turntable, kettle] = within(screen.getByRole('list', { name: 'Cart lines' })).getAllByRole('listitem');
    expect(within(turntable!).getByRole('link', { name: 'Vinyl One Turntable' })).toHaveAttribute('href', '/products/UHJvZHVjdDox');
    expect(within(kettle!).getByRole('spinbutton', { name: 'Quantity of Brew Master Kettle' })).toHaveValue('2');
    expect(within(kettle!).getByLabelText('Total for Brew Master Kettle')).toHaveTextContent('$59.98');
    fireEvent.click(within(kettle!).getByRole('button', { name: 'Remove Brew Master Kettle' }));
    expect(onRemove).toHaveBeenCalledWith('Q2FydExpbmU6Mg==');
  });
});
