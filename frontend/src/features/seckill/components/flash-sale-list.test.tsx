import { act, render as rtlRender, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { FlashSaleFragment } from '@/gql/graphql';
import { fakeGraphqlFetch, fakeSubscriptions } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { FlashSaleList } from './flash-sale-list';
import { FlashSaleListView } from './flash-sale-list-view';
import { saleProduct } from '../testing/sale-answer';

const product = saleProduct({ name: 'Noise-cancelling Headphones' });
/** A sale named after its product unless `overrides` names it (as the API does). */
const event = (overrides: Partial<FlashSaleFragment>): FlashSaleFragment => ({
  __typename: 'SeckillEvent',
  id: 'U2Vja2lsbEV2ZW50OjE=',
  product,
  price: { __typename: 'Money', amount: '99.00', currency: 'USD' },
  perUserLimit: 2,
  remainingStock: 7,
  totalStock: 50,
  startsAt: '2030-05-01T10:00:00Z',
  endsAt: '2030-05-01T11:00:00Z',
  status: 'ACTIVE',
  ...overrides,
  name: overrides.name ?? (overrides.product ?? product).name,
});

/** Server time 10:30, halfway through the live sale above. */
const NOW = Date.parse('2030-05-01T10:30:00Z');

const render = (ui: ReactElement) => rtlRender(<MemoryRouter>{ui}</MemoryRouter>);

describe('FlashSaleList', () => {
  it('shows product, sale price, remaining of total and a status tag per event', () => {
    render(
      <FlashSaleList
        now={NOW}
        events={[
          event({}),
          event({
            id: 'U2Vja2lsbEV2ZW50OjI=',
            product: saleProduct({ id: 'UHJvZHVjdDoy', name: 'Smart Watch' }),
            price: { __typename: 'Money', amount: '149.90', currency: 'USD' },
            remainingStock: 0,
            totalStock: 20,
            status: 'SOLD_OUT',
          }),
        ]}
      />,
    );

    const [headphones, watch] = within(screen.getByRole('list', { name: 'Flash sales' })).getAllByRole('listitem');

    const live = within(headphones!);
    expect(live.getByRole('heading', { name: 'Noise-cancelling Headphones' })).toBeInTheDocument();
    expect(live.getByText('$99.00')).toBeInTheDocument();
    expect(live.getByText('7 left of 50')).toBeInTheDocument();
    expect(live.getByText('Live')).toBeInTheDocument();
    expect(live.getByRole('timer', { name: 'Ends in' })).toHaveTextContent('Ends in 30:00');

    const soldOut = within(watch!);
    expect(soldOut.getByText('$149.90')).toBeInTheDocument();
    expect(soldOut.getByText('0 left of 20')).toBeInTheDocument();
    expect(soldOut.getByText('Sold out')).toBeInTheDocument();
    expect(soldOut.queryByRole('timer')).not.toBeInTheDocument();
  });

  it('sells the deal: picture, sale price beside the struck regular price, discount, stock bar, limit, product link', () => {
    const { container } = render(
      <FlashSaleList
        now={NOW}
        events={[
          event({
            product: saleProduct({
              name: 'Noise-cancelling Headphones',
              price: { __typename: 'Money', amount: '132.00', currency: 'USD' },
              cover: { __typename: 'ProductImage', id: 'SW1hZ2U6MQ==', thumbnailUrl: '/media/p/1/a.webp', alt: 'Headphones' },
            }),
            remainingStock: 12,
            totalStock: 48,
          }),
        ]}
      />,
    );
    const card = within(screen.getByRole('listitem'));
    expect(card.getByLabelText('Sale price')).toHaveTextContent('$99.00');
    const regular = card.getByLabelText('Regular price');
    expect(regular).toHaveTextContent('$132.00');
    expect(regular.querySelector('del')).toHaveTextContent('$132.00');
    // (132 - 99) / 132 = 25 %
    expect(card.getByText('25% off')).toBeInTheDocument();
    expect(card.getByText('12 left of 48')).toBeInTheDocument();
    const bar = card.getByRole('progressbar', { name: 'Sold' });
    expect(bar).toHaveAttribute('aria-valuenow', '75');
    expect(bar).not.toHaveTextContent('%'); // no percentage written beside the bar
    expect(card.getByText('Limit 2 per shopper')).toBeInTheDocument();
    expect(container.querySelector('img')).toHaveAttribute('src', '/media/p/1/a.webp');
    expect(card.getByRole('link', { name: 'About Noise-cancelling Headphones' })).toHaveAttribute(
      'href',
      '/products/UHJvZHVjdDox',
    );
  });

  it('shows no discount when the sale price is not below the regular price', () => {
    render(<FlashSaleList now={NOW} events={[event({ product: saleProduct({ price: { __typename: 'Money', amount: '99.00', currency: 'USD' } }) })]} />);
    expect(screen.queryByLabelText('Regular price')).not.toBeInTheDocument();
    expect(screen.queryByText(/% off/)).not.toBeInTheDocument();
  });

  it('counts down to the start on the server clock, and goes live when the server clock passes it', () => {
    const upcoming = event({ status: 'SCHEDULED', remainingStock: 50 });
    const { rerender, container } = render(<FlashSaleList now={Date.parse('2030-05-01T09:58:55Z')} events={[upcoming]} />);

    expect(screen.getByText('Upcoming')).toBeInTheDocument();
    expect(screen.getByRole('timer', { name: 'Starts in' })).toHaveTextContent('Starts in 01:05');
    expect(container.querySelector('time')).toHaveAttribute('datetime', '2030-05-01T10:00:00Z');

    rerender(
      <MemoryRouter>
        <FlashSaleList now={Date.parse('2030-05-01T10:00:01Z')} events={[upcoming]} />
      </MemoryRouter>,
    );
    expect(screen.getByText('Live')).toBeInTheDocument();
    expect(screen.getByRole('timer', { name: 'Ends in' })).toHaveTextContent('Ends in 59:59');
  });
});

describe('FlashSaleListView', () => {
  const node = (overrides: Partial<FlashSaleFragment>) => {
    return { node: event(overrides) };
  };
  const LIVE = 'U2Vja2lsbEV2ZW50OjE=';
  const UPCOMING = 'U2Vja2lsbEV2ZW50OjM=';

  it('lists live sales before upcoming ones and keeps each card\'s stock live through seckillEventUpdated', async () => {
    const now = Date.now();
    const { fetch } = fakeGraphqlFetch({
      ServerTime: () => ({ data: { serverTime: new Date(now).toISOString() } }),
      FlashSales: () => ({
        data: {
          live: {
            edges: [
              node({
                id: LIVE,
                startsAt: new Date(now - 60_000).toISOString(),
                endsAt: new Date(now + 3_600_000).toISOString(),
              }),
            ],
          },
          upcoming: {
            edges: [
              node({
                id: UPCOMING,
                product: saleProduct({ id: 'UHJvZHVjdDoz', name: 'Espresso Machine' }),
                status: 'SCHEDULED',
                remainingStock: 50,
                startsAt: new Date(now + 7_200_000).toISOString(),
                endsAt: new Date(now + 10_800_000).toISOString(),
              }),
            ],
          },
        },
      }),
    });
    const live = fakeSubscriptions();
    renderWithProviders(<FlashSaleListView />, { fetch, subscriptions: live.client });

    const list = await screen.findByRole('list', { name: 'Flash sales' });
    const [first, second] = within(list).getAllByRole('listitem');
    expect(within(first!).getByRole('heading', { name: 'Noise-cancelling Headphones' })).toBeInTheDocument();
    expect(within(second!).getByRole('heading', { name: 'Espresso Machine' })).toBeInTheDocument();
    // Each card subscribes in an effect, which may run just after the list is on screen.
    await waitFor(() => expect(live.subscribed('FlashSaleUpdated')).toEqual([{ id: LIVE }, { id: UPCOMING }]));

    act(() => {
      live.push('FlashSaleUpdated', {
        seckillEventUpdated: { __typename: 'SeckillEvent', id: LIVE, remainingStock: 0, status: 'SOLD_OUT' },
      }, { id: LIVE });
    });

    expect(await within(first!).findByText('0 left of 50')).toBeInTheDocument();
    expect(within(first!).getByText('Sold out')).toBeInTheDocument();
    expect(within(second!).getByText('50 left of 50')).toBeInTheDocument();
  });
});
