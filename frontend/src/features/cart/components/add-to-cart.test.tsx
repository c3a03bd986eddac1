import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { AddToCart } from './add-to-cart';

const PRODUCT = 'UHJvZHVjdDoy';
const added = {
  data: {
    cartAddItem: { __typename: 'CartPayload', cart: { __typename: 'Cart', id: 'Q2FydDox', quantity: 2, subtotal: { __typename: 'Money', amount: '20.00', currency: 'USD' }, lines: [] }, userErrors: [] },
  },
};

describe('AddToCart', () => {
  it('sends a visitor to sign in with the wish in the return link', async () => {
    renderWithProviders(<AddToCart productId={PRODUCT} productName="Kettle" stock={5} />, {
      session: createMemorySession(),
      url: '/products/p1?tab=info',
      path: '/products/:productId',
    });

    fireEvent.change(screen.getByLabelText('Quantity'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: /Add to cart/ }));

    expect(await screen.findByText(/Now at \/sign-in/)).toHaveTextContent(
      `Now at /sign-in?next=${encodeURIComponent('/products/p1?tab=info&add=2')}`,
    );
  });

  it('adds the wished quantity once after signing in, and drops it from the address', async () => {
    const { fetch, sent } = fakeGraphqlFetch({ CartAddItem: () => added });
    const { router } = renderWithProviders(<AddToCart productId={PRODUCT} productName="Kettle" stock={5} />, {
      fetch,
      url: '/products/p1?tab=info&add=2',
      path: '/products/:productId',
    });

    expect(await screen.findByText('Added 2 × Kettle to your cart.')).toBeInTheDocument();
    expect(sent.filter((o) => o.operationName === 'CartAddItem')).toEqual([
      expect.objectContaining({ variables: { productId: PRODUCT, quantity: 2 } }),
    ]);
    expect(router.state.location.search).toBe('?tab=info');
  });

  it('ignores a malformed wish', () => {
    const { fetch, sent } = fakeGraphqlFetch({ CartAddItem: () => added });
    renderWithProviders(<AddToCart productId={PRODUCT} productName="Kettle" stock={5} />, {
      fetch,
      url: '/products/p1?add=-3',
      path: '/products/:productId',
    });
    expect(sent).toHaveLength(0);
  });
});
