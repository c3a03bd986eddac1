import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { CheckoutReviewView } from './checkout-review-view';

const money = (amount: string) => ({ __typename: 'Money', amount, currency: 'USD' });
const preview = (shipping: string, total: string) => ({
  data: {
    checkoutPreview: {
      __typename: 'CheckoutPreview',
      lines: [
        {
          __typename: 'CheckoutLine',
          quantity: 2,
          product: { __typename: 'Product', id: 'UHJvZHVjdDox', name: 'Kettle' },
          unitPrice: money('30.00'),
          total: money('60.00'),
        },
      ],
      subtotal: money('60.00'),
      shipping: money(shipping),
      total: money(total),
      address: null,
    },
  },
});
const order = { __typename: 'Order', id: 'T3JkZXI6Nw==', number: 'FM-7', status: 'PENDING_PAYMENT' };

// The app composes the address book's picker in; here a stand-in that picks one address.
const picker = (value: string | null, onChange: (id: string) => void) => (
  <button type="button" onClick={() => onChange('QWRkcmVzczox')}>
    {value ? `Shipping to ${value}` : 'Pick address'}
  </button>
);

describe('CheckoutReviewView', () => {
  it('shows lines, subtotal, shipping and total, and places the order to the chosen address', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      CheckoutPreview: () => preview('10.00', '70.00'),
      CheckoutComplete: () => ({ data: { checkoutComplete: { __typename: 'OrderPayload', order, userErrors: [] } } }),
    });
    renderWithProviders(<CheckoutReviewView renderAddressPicker={picker} />, { fetch, url: '/checkout' });

    const sums = await screen.findByLabelText('Order sums');
    expect(sums).toHaveTextContent('Subtotal$60.00');
    expect(sums).toHaveTextContent('Shipping$10.00');
    expect(sums).toHaveTextContent('Total$70.00');
    expect(within(screen.getByRole('table', { name: 'Items to order' })).getByRole('row', { name: /Kettle/ })).toHaveTextContent('2');

    const confirm = screen.getByRole('button', { name: /Place order/ });
    expect(confirm).toBeDisabled(); // no address yet
    fireEvent.click(screen.getByRole('button', { name: 'Pick address' }));
    fireEvent.click(confirm);

    expect(await screen.findByText('Now at /account/orders/T3JkZXI6Nw%3D%3D')).toBeInTheDocument();
    const [placed] = sent.filter((op) => op.operationName === 'CheckoutComplete');
    expect(placed?.variables).toMatchObject({ addressId: 'QWRkcmVzczox' });
  });

  it('reviews a buy-now of one product and orders it through checkoutBuyNow', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      CheckoutPreview: () => preview('0.00', '60.00'),
      CheckoutBuyNow: () => ({ data: { checkoutBuyNow: { __typename: 'OrderPayload', order, userErrors: [] } } }),
    });
    renderWithProviders(<CheckoutReviewView productId="UHJvZHVjdDox" quantity={2} renderAddressPicker={picker} />, {
      fetch,
      url: '/checkout',
    });

    expect(await screen.findByLabelText('Order sums')).toHaveTextContent('ShippingFree');
    expect(sent[0]?.variables).toMatchObject({ productId: 'UHJvZHVjdDox', quantity: 2 });
    fireEvent.click(screen.getByRole('button', { name: 'Pick address' }));
    fireEvent.click(screen.getByRole('button', { name: /Place order/ }));

    await waitFor(() => expect(sent.map((op) => op.operationName)).toContain('CheckoutBuyNow'));
    const bought = sent.find((op) => op.operationName === 'CheckoutBuyNow');
    expect(bought?.variables).toMatchObject({ productId: 'UHJvZHVjdDox', quantity: 2, addressId: 'QWRkcmVzczox' });
    expect(bought?.variables.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.map((op) => op.operationName)).not.toContain('CheckoutComplete');
  });

  it('says so when there is nothing to order', async () => {
    const { fetch } = fakeGraphqlFetch({
      CheckoutPreview: () => ({
        data: {
          checkoutPreview: {
            __typename: 'CheckoutPreview',
            lines: [],
            subtotal: money('0.00'),
            shipping: money('0.00'),
            total: money('0.00'),
            address: null,
          },
        },
      }),
    });
    renderWithProviders(<CheckoutReviewView renderAddressPicker={picker} />, { fetch, url: '/checkout' });
    expect(await screen.findByText('Your cart is empty')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Place order/ })).toBeNull();
  });
});
