import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch, type SentOperation } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { OrdersView } from './orders-view';

const order = (n: number) => ({
  __typename: 'Order',
  id: `T3JkZXI6${String(n)}`,
  number: `FM-${String(n).padStart(4, '0')}`,
  status: n === 1 ? 'PAID' : 'PENDING_PAYMENT',
  createdAt: '2030-01-01T10:00:00Z',
  total: { __typename: 'Money', amount: '10.00', currency: 'USD' },
  lines: [{ __typename: 'OrderLine', id: `T3JkZXJMaW5lOj${String(n)}`, quantity: 2 }],
});

function ordersPage({ variables }: SentOperation) {
  const second = variables.after === 'c2';
  const nodes = second ? [order(3)] : [order(1), order(2)];
  return {
    data: {
      orders: {
        __typename: 'OrderConnection',
        totalCount: 3,
        pageInfo: { __typename: 'PageInfo', hasNextPage: !second, endCursor: second ? 'c3' : 'c2' },
        edges: nodes.map((node) => ({ __typename: 'OrderEdge', cursor: node.id, node })),
      },
    },
  };
}

describe('OrdersView', () => {
  it('lists orders with status and total, and pages through them by cursor', async () => {
    const { fetch, sent } = fakeGraphqlFetch({ Orders: ordersPage });
    renderWithProviders(<OrdersView pageSize={2} />, { fetch });

    const list = await screen.findByRole('list', { name: 'Orders' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).getByRole('link', { name: 'Order FM-0001' })).toHaveAttribute('href', `/account/orders/${order(1).id}`);
    expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent('Paid');
    expect(within(list).getAllByRole('listitem')[1]).toHaveTextContent('Pending payment');
    expect(screen.getByText('3 in total')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: /Next/ }));

    expect(await screen.findByRole('link', { name: 'Order FM-0003' })).toBeInTheDocument();
    expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
    expect(sent.at(-1)?.variables).toEqual({ first: 2, after: 'c2' });

    fireEvent.click(screen.getByRole('button', { name: /Previous/ }));
    expect(await screen.findByRole('link', { name: 'Order FM-0001' })).toBeInTheDocument();
  });

  it('invites a shopper without orders to start shopping', async () => {
    const { fetch } = fakeGraphqlFetch({
      Orders: () => ({
        data: {
          orders: {
            __typename: 'OrderConnection',
            totalCount: 0,
            pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
            edges: [],
          },
        },
      }),
    });
    renderWithProviders(<OrdersView />, { fetch });

    expect(await screen.findByText('No orders yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start shopping' })).toBeInTheDocument();
  });
});
