import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { WaitingRoomState } from '@/gql/graphql';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch, fakeSubscriptions } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { saleDetailAnswer } from '../testing/sale-answer';
import { FlashSaleView } from './flash-sale-view';

const ID = 'U2Vja2lsbEV2ZW50Ojc='; // SeckillEvent:7
const roomSale = ({ drawSeed = null as string | null, admissionMode = 'WAITING_ROOM' } = {}) =>
  saleDetailAnswer({ id: ID, remainingStock: 1, totalStock: 1, admissionMode, lotteryWindowSeconds: 30, drawSeed });
const serverTime = () => ({ data: { serverTime: new Date().toISOString() } });
const entry = (state: WaitingRoomState, fields: Partial<Record<string, unknown>> = {}) => ({
  __typename: 'WaitingRoomEntry',
  arrival: 3,
  position: null,
  ahead: null,
  estimatedWaitSeconds: null,
  state,
  grantExpiresAt: null,
  ...fields,
});
const joined = (state: WaitingRoomState = 'WAITING', fields: Partial<Record<string, unknown>> = {}) => () => ({
  data: { waitingRoomJoin: { entry: entry(state, fields), userErrors: [] } },
});

function show(handlers: Parameters<typeof fakeGraphqlFetch>[0] = {}, { signedIn = true, sale = roomSale() } = {}) {
  const subscriptions = fakeSubscriptions();
  subscriptions.connect();
  const { fetch, sent } = fakeGraphqlFetch({
    FlashSaleDetail: () => sale,
    ServerTime: serverTime,
    WaitingRoomJoin: joined(),
    ...handlers,
  });
  renderWithProviders(<FlashSaleView eventId={ID} />, {
    fetch,
    url: `/flash-sales/${ID}`,
    path: '/flash-sales/:eventId',
    session: signedIn ? undefined : createMemorySession(),
    subscriptions: subscriptions.client,
  });
  /** The server sends the shopper's entry over `waitingRoomUpdated`. */
  const update = (state: WaitingRoomState, fields: Partial<Record<string, unknown>> = {}) => {
    act(() => {
      subscriptions.push('WaitingRoomUpdated', { waitingRoomUpdated: entry(state, fields) }, { eventId: ID });
    });
  };
  return { sent, subscriptions, update };
}

const room = () => within(screen.getByRole('region', { name: 'Waiting room' }));
// A button's loading icon keeps its label ("loading") while it fades out.
const buyButton = () => screen.getByRole('button', { name: /Buy now$/ });
const queueMoved = () => screen.getByRole('progressbar', { name: 'Queue moved' });

async function join() {
  fireEvent.click(await screen.findByRole('button', { name: 'Join the waiting room' }));
  await screen.findByLabelText('Waiting room state');
}

describe('FlashSaleView of a waiting-room sale', () => {
  it('explains the room and keeps the buy button off until the shopper joins', async () => {
    const { subscriptions } = show();
    await screen.findByRole('button', { name: 'Join the waiting room' });
    expect(room().getByText(/is put in a random order by a draw at that moment/)).toBeInTheDocument();
    expect(room().getByText(/you have 02:00 to buy/)).toBeInTheDocument();
    expect(buyButton()).toBeDisabled();
    expect(screen.getByText('Join the waiting room: you can buy when it is your turn.')).toBeInTheDocument();
    expect(subscriptions.subscribed('WaitingRoomUpdated')).toHaveLength(0);
  });

  it('follows the shopper from WAITING to ADMITTED, with the countdown, and buys', async () => {
    const { sent, subscriptions, update } = show({
      SeckillBuy: () => ({
        data: {
          seckillBuy: {
            ticket: { __typename: 'SeckillTicket', id: 'dGlja2V0LTE=', status: 'QUEUED', failureReason: null, order: null },
            userErrors: [],
          },
        },
      }),
    });
    await join();
    // the room's subscription starts in an effect after the state shows: wait for it (a loaded machine is slower)
    await waitFor(() => expect(subscriptions.subscribed('WaitingRoomUpdated')).toEqual([{ eventId: ID }]));
    expect(room().getByText('Waiting')).toBeInTheDocument();
    expect(room().getByText(/puts everyone who joined by then in a random order/)).toBeInTheDocument();
    expect(buyButton()).toBeDisabled();

    update('WAITING', { position: 2, ahead: 1, estimatedWaitSeconds: 40 });
    expect(room().getByText('less than a minute')).toBeInTheDocument();
    expect(queueMoved()).toHaveAttribute('aria-valuenow', '0');
    expect(buyButton()).toBeDisabled();

    const expires = new Date(Date.now() + 120_000).toISOString();
    update('ADMITTED', { position: 2, ahead: 0, grantExpiresAt: expires });
    expect(room().getByText('Your turn')).toBeInTheDocument();
    expect(buyButton()).toBeEnabled();
    expect(screen.getByRole('timer', { name: 'Your turn ends in' })).toHaveTextContent(/Your turn ends in 0[12]:\d\d/);

    fireEvent.click(buyButton());
    expect(await screen.findByTestId('ticket-status')).toHaveTextContent('Queued');
    expect(sent.filter((operation) => operation.operationName === 'SeckillBuy')).toHaveLength(1);

    // The grant is used: the server ends the subscription, with or without a last message.
    expect(room().getByText('You used your turn: your ticket is below.')).toBeInTheDocument();
    expect(screen.queryByRole('timer', { name: 'Your turn ends in' })).not.toBeInTheDocument();
    expect(buyButton()).toBeDisabled();
  });

  it('shows the number ahead falling and the queue moving', async () => {
    const { update } = show();
    await join();
    update('WAITING', { position: 11, ahead: 10, estimatedWaitSeconds: 300 });
    expect(room().getByText('about 5 minutes')).toBeInTheDocument();
    expect(queueMoved()).toHaveAttribute('aria-valuenow', '0');

    update('WAITING', { position: 11, ahead: 6, estimatedWaitSeconds: 130 });
    expect(room().getByText('6')).toBeInTheDocument();
    expect(room().getByText('about 3 minutes')).toBeInTheDocument();
    expect(queueMoved()).toHaveAttribute('aria-valuenow', '40');

    update('WAITING', { position: 11, ahead: 1, estimatedWaitSeconds: 10 });
    expect(room().getByText('1')).toBeInTheDocument();
    expect(queueMoved()).toHaveAttribute('aria-valuenow', '90');
    expect(buyButton()).toBeDisabled();
  });

  it('explains SOLD_OUT and MISSED and keeps the buy button off', async () => {
    const { update } = show();
    await join();
    update('SOLD_OUT', { position: 4, ahead: 3 });
    expect(room().getByText('Sold out')).toBeInTheDocument();
    expect(room().getByText(/Every unit is taken for now\. Units that an unpaid order gives back/)).toBeInTheDocument();
    expect(buyButton()).toBeDisabled();

    update('MISSED', { position: 4, ahead: 0 });
    expect(room().getByText('Turn missed')).toBeInTheDocument();
    expect(room().getByText(/ran out before you bought/)).toBeInTheDocument();
    expect(buyButton()).toBeDisabled();
  });

  it('words the join errors', async () => {
    show({
      WaitingRoomJoin: () => ({
        data: {
          waitingRoomJoin: {
            entry: null,
            userErrors: [{ field: ['eventId'], message: 'not open', code: 'NOT_IN_JOIN_WINDOW' }],
          },
        },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Join the waiting room' }));
    expect(await screen.findByText('The waiting room of this sale is not open for joining now.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Join the waiting room$/ })).toBeInTheDocument();
  });

  it('says when to join again after RATE_LIMITED', async () => {
    show({
      WaitingRoomJoin: () => ({
        data: null,
        errors: [{ message: 'Slow down', extensions: { code: 'RATE_LIMITED', retryAfter: 4 } }],
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Join the waiting room' }));
    expect(await screen.findByText('Too many requests. Please wait a moment. Try again in 4 s.')).toBeInTheDocument();
  });

  it('sends a signed-out visitor to sign in and back before joining', async () => {
    const { sent } = show({}, { signedIn: false });
    fireEvent.click(await screen.findByRole('button', { name: 'Join the waiting room' }));
    expect(await screen.findByText(`Now at /sign-in?next=${encodeURIComponent(`/flash-sales/${ID}`)}`)).toBeInTheDocument();
    expect(sent.filter((operation) => operation.operationName === 'WaitingRoomJoin')).toHaveLength(0);
  });

  it('shows the published draw seed and how to re-run the draw', async () => {
    show({}, { sale: roomSale({ drawSeed: '0123456789abcdef0123456789abcdef' }) });
    expect(await screen.findByText('0123456789abcdef0123456789abcdef')).toBeInTheDocument();
    expect(screen.getByText('flashmart seckill verify-draw 7')).toBeInTheDocument();
  });

  it('leaves a first-come sale without a room', async () => {
    show({}, { sale: roomSale({ admissionMode: 'FIRST_COME' }) });
    expect(await screen.findByRole('button', { name: 'Buy now' })).toBeEnabled();
    expect(screen.queryByRole('region', { name: 'Waiting room' })).not.toBeInTheDocument();
  });
});
