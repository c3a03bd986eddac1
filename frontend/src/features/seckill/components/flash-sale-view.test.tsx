import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TicketStatus } from '@/gql/graphql';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch, fakeSubscriptions } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { passTime } from '@/testing/timers';
import { saleDetailAnswer } from '../testing/sale-answer';
import { EVENT_POLL_MS } from '../hooks/use-flash-sale';
import { MAX_BUSY_RETRIES, TICKET_POLL_MS } from '../hooks/use-seckill-buy';
import { FlashSaleView } from './flash-sale-view';

const ID = 'U2Vja2lsbEV2ZW50OjE=';
const saleAnswer = () => saleDetailAnswer({ id: ID });
const serverTime = () => ({ data: { serverTime: new Date().toISOString() } });
const noTicket = () => ({ data: { seckillEvent: { __typename: 'SeckillEvent', id: ID, myTicket: null } } });

function show(
  handlers: Parameters<typeof fakeGraphqlFetch>[0],
  signedIn = true,
  subscriptions?: ReturnType<typeof fakeSubscriptions>,
) {
  const { fetch, sent } = fakeGraphqlFetch({
    FlashSaleDetail: saleAnswer,
    FlashSaleMyTicket: noTicket,
    ServerTime: serverTime,
    ...handlers,
  });
  renderWithProviders(<FlashSaleView eventId={ID} />, {
    fetch,
    url: `/flash-sales/${ID}`,
    path: '/flash-sales/:eventId',
    session: signedIn ? undefined : createMemorySession(),
    subscriptions: subscriptions?.client,
  });
  return sent;
}

describe('FlashSaleView', () => {
  it('shows the ticket of a shopper who already won, after a reload, with the time left to pay', async () => {
    const payBy = new Date(Date.now() + 600_000).toISOString();
    const sent = show({
      FlashSaleMyTicket: () => ({
        data: {
          seckillEvent: {
            __typename: 'SeckillEvent',
            id: ID,
            myTicket: {
              __typename: 'SeckillTicket',
              id: 'dGlja2V0LTE=',
              status: 'SUCCEEDED',
              failureReason: null,
              payBy,
              order: { __typename: 'Order', id: 'T3JkZXI6OQ==', status: 'PENDING_PAYMENT' },
            },
          },
        },
      }),
      SeckillTicket: () => ({ data: { seckillTicket: null } }),
    });
    expect(await screen.findByText(/^You got it — pay within (10:00|09:5\d)$/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Pay now' })).toHaveAttribute('href', '/account/orders/T3JkZXI6OQ%3D%3D');
    expect(screen.getByRole('button', { name: 'Buy now' })).toBeDisabled();
    expect(sent.filter((s) => s.operationName === 'FlashSaleMyTicket')).toHaveLength(1);
  });

  it('does not ask a visitor for a ticket', async () => {
    const sent = show({}, false);
    expect(await screen.findByRole('button', { name: 'Buy now' })).toBeEnabled();
    expect(sent.map((s) => s.operationName)).not.toContain('FlashSaleMyTicket');
  });

  it('treats a malformed id in the URL as a sale that is not found', async () => {
    show({
      FlashSaleDetail: () => ({
        data: { seckillEvent: null },
        errors: [{ message: 'Invalid SeckillEvent id', extensions: { code: 'BAD_USER_INPUT' } }],
      }),
    });
    expect(await screen.findByText('Flash sale not found')).toBeInTheDocument();
    expect(screen.queryByText(/Invalid SeckillEvent id/)).toBeNull();
  });

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

describe('FlashSaleView for verified accounts only', () => {
  const verifiedOnly = () => saleDetailAnswer({ id: ID, requiresVerifiedAccount: true });
  const notVerified = () => ({
    data: {
      seckillBuy: {
        ticket: null,
        userErrors: [{ field: ['eventId'], message: 'Verify', code: 'EMAIL_NOT_VERIFIED' }],
      },
    },
  });

  it('says so and shows what the route composed for the shopper', async () => {
    const { fetch } = fakeGraphqlFetch({ FlashSaleDetail: verifiedOnly, ServerTime: serverTime });
    renderWithProviders(<FlashSaleView eventId={ID} verification={<p>Verify your email to take part</p>} />, {
      fetch,
      url: `/flash-sales/${ID}`,
      path: '/flash-sales/:eventId',
    });
    expect(await screen.findByText('Only shoppers with a verified email address can buy.')).toBeInTheDocument();
    expect(screen.getByText('Verify your email to take part')).toBeInTheDocument();
  });

  it('words EMAIL_NOT_VERIFIED and does not refresh for a shopper who is not verified', async () => {
    const refreshTokens = vi.fn(() => Promise.resolve('retry' as const));
    const { fetch, sent } = fakeGraphqlFetch({
      FlashSaleDetail: verifiedOnly,
      ServerTime: serverTime,
      SeckillBuy: notVerified,
    });
    renderWithProviders(<FlashSaleView eventId={ID} />, {
      fetch,
      url: `/flash-sales/${ID}`,
      path: '/flash-sales/:eventId',
      refreshTokens,
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Buy now' }));
    expect(await screen.findByText('Verify your email address to take part in this sale.')).toBeInTheDocument();
    expect(refreshTokens).not.toHaveBeenCalled();
    expect(sent.filter((op) => op.operationName === 'SeckillBuy')).toHaveLength(1);
  });

  it('refreshes a token issued before the verification and buys again once', async () => {
    const refreshTokens = vi.fn(() => Promise.resolve('retry' as const));
    let buys = 0;
    const { fetch } = fakeGraphqlFetch({
      FlashSaleDetail: verifiedOnly,
      ServerTime: serverTime,
      SeckillBuy: () => {
        buys += 1;
        if (buys === 1) return notVerified();
        return {
          data: {
            seckillBuy: {
              ticket: { __typename: 'SeckillTicket', id: 'dGlja2V0LTE=', status: 'QUEUED', failureReason: null, payBy: null, order: null },
              userErrors: [],
            },
          },
        };
      },
    });
    renderWithProviders(<FlashSaleView eventId={ID} emailVerified />, {
      fetch,
      url: `/flash-sales/${ID}`,
      path: '/flash-sales/:eventId',
      refreshTokens,
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Buy now' }));
    expect(await screen.findByTestId('ticket-status')).toHaveTextContent('Queued');
    expect(refreshTokens).toHaveBeenCalledTimes(1);
    expect(buys).toBe(2);
  });
});

describe('FlashSaleView polling', () => {
  const TICKET = 'dGlja2V0LTE=';
  const progress = (status: TicketStatus) => ({
    __typename: 'SeckillTicket',
    id: TICKET,
    status,
    failureReason: null,
    payBy: null,
    order: status === 'SUCCEEDED' ? { __typename: 'Order', id: 'T3JkZXI6OQ==', status: 'PAID' } : null,
  });

  /** The sale page with the socket up or down; Buy is clicked once the sale is on screen. */
  async function buyWithSocket({ connected }: { connected: boolean }) {
    let ticketStatus: TicketStatus = 'QUEUED';
    const subscriptions = fakeSubscriptions();
    if (connected) subscriptions.connect();
    const sent = show(
      {
        SeckillBuy: () => ({ data: { seckillBuy: { ticket: progress('QUEUED'), userErrors: [] } } }),
        SeckillTicket: () => ({ data: { seckillTicket: progress(ticketStatus) } }),
      },
      true,
      subscriptions,
    );
    const count = (operationName: string) => sent.filter((operation) => operation.operationName === operationName).length;
    await passTime(100);
    fireEvent.click(screen.getByRole('button', { name: 'Buy now' }));
    await passTime(100);
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Queued');
    return {
      subscriptions,
      saleReads: () => count('FlashSaleDetail'),
      ticketReads: () => count('SeckillTicket'),
      settleTicket: (status: TicketStatus) => {
        ticketStatus = status;
      },
    };
  }

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends no sale or ticket polls while the socket is connected: the subscriptions bring the changes', async () => {
    const { subscriptions, saleReads, ticketReads } = await buyWithSocket({ connected: true });
    await passTime(10 * EVENT_POLL_MS);
    expect(saleReads()).toBe(1);
    expect(ticketReads()).toBe(1);

    act(() => {
      subscriptions.push('SeckillTicketUpdated', { seckillTicketUpdated: progress('SUCCEEDED') }, { id: TICKET });
    });
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Succeeded');
    expect(ticketReads()).toBe(1);
  });

  it('polls the sale every 2 s and the ticket every 500 ms until final while the socket is down', async () => {
    const { saleReads, ticketReads, settleTicket } = await buyWithSocket({ connected: false });
    expect(saleReads()).toBe(1);
    expect(ticketReads()).toBe(1);

    await passTime(2 * TICKET_POLL_MS + 50);
    expect(ticketReads()).toBe(3);
    await passTime(EVENT_POLL_MS);
    expect(saleReads()).toBe(2);
    expect(ticketReads()).toBe(7);

    settleTicket('SUCCEEDED');
    await passTime(TICKET_POLL_MS);
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Succeeded');
    await passTime(4 * TICKET_POLL_MS);
    expect(ticketReads()).toBe(8);
  });

  it('reads the sale and the ticket once more when the socket reconnects, so a missed final state still shows', async () => {
    const { subscriptions, saleReads, ticketReads, settleTicket } = await buyWithSocket({ connected: true });
    act(() => {
      subscriptions.drop();
    });
    await passTime(EVENT_POLL_MS + 100);
    expect(saleReads()).toBe(2);
    expect(ticketReads()).toBe(5);

    settleTicket('SUCCEEDED');
    act(() => {
      subscriptions.connect();
    });
    await passTime(100);
    expect(saleReads()).toBe(3);
    expect(ticketReads()).toBe(6);
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Succeeded');

    await passTime(10 * EVENT_POLL_MS);
    expect(saleReads()).toBe(3);
    expect(ticketReads()).toBe(6);
  });
});

describe('FlashSaleView during an outage', () => {
  const busy = (retryAfter: number) => ({
    data: null,
    errors: [
      {
        message: `Service temporarily unavailable; retry in ${String(retryAfter)} s`,
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter },
      },
    ],
  });
  const queued = {
    data: {
      seckillBuy: {
        ticket: { __typename: 'SeckillTicket', id: 'dGlja2V0LTE=', status: 'QUEUED', failureReason: null, payBy: null, order: null },
        userErrors: [],
      },
    },
  };

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows "Busy, retrying in N s" counting down and buys again after retryAfter', async () => {
    const answers = [busy(2), busy(1), queued];
    const sent = show({ SeckillBuy: () => answers.shift() });
    const buys = () => sent.filter((operation) => operation.operationName === 'SeckillBuy').length;
    await passTime(100);
    fireEvent.click(screen.getByRole('button', { name: 'Buy now' }));
    await passTime(100);
    expect(screen.getByText('Busy, retrying in 2 s')).toBeInTheDocument();
    expect(buys()).toBe(1);

    await passTime(1000);
    expect(screen.getByText('Busy, retrying in 1 s')).toBeInTheDocument();
    expect(buys()).toBe(1);

    await passTime(1000); // retryAfter is over: sent again, busy again (1 s this time)
    expect(buys()).toBe(2);
    expect(screen.getByText('Busy, retrying in 1 s')).toBeInTheDocument();

    await passTime(1000);
    expect(buys()).toBe(3);
    expect(screen.queryByText(/Busy, retrying/)).not.toBeInTheDocument();
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Queued');
    await passTime(5000);
    expect(buys()).toBe(3); // nothing more once it went through
  });

  it(`gives up after ${String(MAX_BUSY_RETRIES)} automatic retries and says when to try again`, async () => {
    const sent = show({ SeckillBuy: () => busy(1) });
    const buys = () => sent.filter((operation) => operation.operationName === 'SeckillBuy').length;
    await passTime(100);
    fireEvent.click(screen.getByRole('button', { name: 'Buy now' }));
    await passTime((MAX_BUSY_RETRIES + 3) * 1000);
    expect(buys()).toBe(MAX_BUSY_RETRIES + 1);
    expect(screen.getByText('The shop is busy right now. Try again in 1 s.')).toBeInTheDocument();
  });
});
