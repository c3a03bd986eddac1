import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch, type SentOperation } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { CheckoutButton } from './checkout-button';

const order = { __typename: 'Order', id: 'T3JkZXI6Nw==', number: 'FM-0007', status: 'PENDING_PAYMENT' };
// (While its loading icon fades out, antd's button is named "loading Checkout"; hence /Checkout/.)
const placed = { data: { checkoutComplete: { __typename: 'OrderPayload', order, userErrors: [] } } };
const empty = {
  data: {
    checkoutComplete: {
      __typename: 'OrderPayload',
      order: null,
      userErrors: [{ __typename: 'UserError', field: null, message: 'Cart is empty', code: 'CART_EMPTY' }],
    },
  },
};

function setup(answers: ((op: SentOperation) => unknown)[]) {
  let call = 0;
  const { fetch, sent } = fakeGraphqlFetch({
    CheckoutComplete: async (op) => {
      const answer = answers[Math.min(call, answers.length - 1)]!;
      call += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return answer(op);
    },
  });
  renderWithProviders(<CheckoutButton />, { fetch, url: '/cart' });
  const keys = () => sent.map((op) => op.variables.idempotencyKey as string);
  return { keys };
}

describe('CheckoutButton', () => {
  it('places one order for a double click and opens it', async () => {
    const { keys } = setup([() => placed]);
    const button = screen.getByRole('button', { name: /Checkout/ });

    fireEvent.click(button);
    fireEvent.click(button);
    fireEvent.click(button);

    expect(await screen.findByText('Now at /account/orders/T3JkZXI6Nw%3D%3D')).toBeInTheDocument();
    expect(keys()).toHaveLength(1);
    expect(keys()[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries with the same key after a network failure, so the server cannot make a second order', async () => {
    const { keys } = setup([() => Response.error(), () => placed]);

    fireEvent.click(screen.getByRole('button', { name: /Checkout/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/cannot reach the server/i);
    fireEvent.click(screen.getByRole('button', { name: /Checkout/ }));

    expect(await screen.findByText(/^Now at \/account\/orders\//)).toBeInTheDocument();
    expect(keys()).toHaveLength(2);
    expect(keys()[1]).toBe(keys()[0]);
  });

  it('shows userErrors, and a new attempt after them gets a new key', async () => {
    const { keys } = setup([() => empty, () => placed]);

    fireEvent.click(screen.getByRole('button', { name: /Checkout/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your cart is empty. Add something first.');
    fireEvent.click(screen.getByRole('button', { name: /Checkout/ }));

    await waitFor(() => expect(keys()).toHaveLength(2));
    expect(keys()[1]).not.toBe(keys()[0]);
  });
});
