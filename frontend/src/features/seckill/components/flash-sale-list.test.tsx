import { render as rtlRender, screen, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { FlashSaleFragment } from '@/gql/graphql';
import { FlashSaleList } from './flash-sale-list';

const event = (overrides: Partial<FlashSaleFragment>): FlashSaleFragment => ({
  id: 'U2Vja2lsbEV2ZW50OjE=',
  product: { id: 'UHJvZHVjdDox', name: 'Noise-cancelling Headphones' },
  price: { amount: '99.00', currency: 'USD' },
  remainingStock: 7,
  totalStock: 50,
  startsAt: '2030-05-01T10:00:00Z',
  endsAt: '2030-05-01T11:00:00Z',
  status: 'ACTIVE',
  ...overrides,
});

const render = (ui: ReactElement) => rtlRender(<MemoryRouter>{ui}</MemoryRouter>);

describe('FlashSaleList', () => {
  it('shows product, sale price, remaining of total and a status tag per event', () => {
    render(
      <FlashSaleList
        events={[
          event({}),
          event({
            id: 'U2Vja2lsbEV2ZW50OjI=',
            product: { id: 'UHJvZHVjdDoy', name: 'Smart Watch' },
            price: { amount: '149.90', currency: 'USD' },
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
    expect(live.getByText('7 / 50 left')).toBeInTheDocument();
    expect(live.getByText('Live')).toBeInTheDocument();
    expect(live.getByText(/^Ends/)).toBeInTheDocument();

    const soldOut = within(watch!);
    expect(soldOut.getByText('$149.90')).toBeInTheDocument();
    expect(soldOut.getByText('0 / 20 left')).toBeInTheDocument();
    expect(soldOut.getByText('Sold out')).toBeInTheDocument();
  });

  it('tells when a scheduled sale starts', () => {
    render(<FlashSaleList events={[event({ status: 'SCHEDULED', remainingStock: 50 })]} />);

    expect(screen.getByText('Upcoming')).toBeInTheDocument();
    expect(screen.getByText(/^Starts/).querySelector('time')).toHaveAttribute('datetime', '2030-05-01T10:00:00Z');
  });
});
