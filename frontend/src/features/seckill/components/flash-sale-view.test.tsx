import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { FlashSaleView } from './flash-sale-view';

const ID = 'U2Vja2lsbEV2ZW50OjE=';
const now = Date.now();
const saleAnswer = () => ({
  data: {
    seckillEvent: {
      __typename: 'SeckillEvent',
      id: ID,
      product: { __typename: 'Product', id: 'UHJvZHVjdDox', name: 'Smart Watch' },
      price: { __typename: 'Money', amount: '99.00', currency: 'USD' },
      remainingStock: 3,
      totalStock: 10,
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      status: 'ACTIVE',
      perUserLimit: 1,
    },
  },
});
const serverTime = () => ({ data: { serverTime: new Date().toISOString() } });

function show(handlers: Parameters<typeof fakeGraphqlFetch>[0], signedIn = true) {
  const { fetch, sent } = fakeGraphqlFetch({ FlashSaleDetail: saleAnswer, ServerTime: serverTime, ...handlers });
  renderWithProviders(<FlashSaleView eventId={ID} />, {
    fetch,
    url: `/flash-sales/${ID}`,
    path: '/flash-sales/:eventId',
    session: signedIn ? undefined : createMemorySession(),
  });
  return sent;
}

describe('FlashSaleView', () => {
  it('sends a signed-out visitor to sign in and back', async () => {
    show({}, false);
    fireEvent.click(await screen.findByRole('button', { name: 'Buy now' }));
    expect(await screen.findByText(`Now at /sign-in?next=${encodeURIComponent(`/flash-sales/${ID}`)}`)).toBeInTheDocument();
  });

  it('words userErrors such as SOLD_OUT', async () => {
    show({
      SeckillBuy: () => ({
        data: { seckillBuy: { ticket: null, userErrors: [{ field: null, message: 'sold out', code: 'SOLD_OUT' }] } },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Buy now' }));
    expect(await screen.findByText('Sold out: every unit of this flash sale is taken.')).toBeInTheDocument();
  });

  it('says when to retry after RATE_LIMITED', async () => {
    show({
      SeckillBuy: () => ({
        data: null,
        errors: [{ message: 'Slow down', extensions: { code: 'RATE_LIMITED', retryAfter: 3 } }],
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Buy now' }));
    expect(await screen.findByText('Too many requests. Please wait a moment. Try again in 3 s.')).toBeInTheDocument();
  });
});
