import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Link } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { useReturnLink } from '@/hooks/use-return-link';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { AdminOrdersView } from './orders-view';

const orders = {
  data: {
    orders: {
      __typename: 'OrderConnection',
      totalCount: 1,
      pageInfo: { __typename: 'PageInfo', hasPreviousPage: false, startCursor: 'c1' },
      edges: [
        {
          __typename: 'OrderEdge',
          node: {
            __typename: 'Order',
            id: 'T3JkZXI6MQ==',
            number: 'FM26110001',
            status: 'PAID',
            createdAt: '2026-11-02T10:00:00Z',
            total: { __typename: 'Money', amount: '20.00', currency: 'USD' },
            user: { __typename: 'User', id: 'VXNlcjoy', email: 'ann@example.com' },
            lines: [{ __typename: 'OrderLine', id: 'T3JkZXJMaW5lOjE=', quantity: 2 }],
          },
        },
      ],
    },
  },
};

/** Stands in for the order page: only its way back matters here. */
function OrderPage() {
  const back = useReturnLink('/admin/orders');
  return (
    <Link to={back.to} state={back.state}>
      ← All orders
    </Link>
  );
}

function setup(url: string) {
  const { fetch, sent } = fakeGraphqlFetch({ AdminOrders: () => orders });
  const view = renderWithProviders(<AdminOrdersView />, {
    fetch,
    url,
    path: '/admin/orders',
    extraRoutes: [{ path: '/admin/orders/:orderId', element: <OrderPage /> }],
  });
  const location = () => view.router.state.location;
  const filters = () => sent.filter((op) => op.operationName === 'AdminOrders').map((op) => op.variables.filter);
  return { location, filters };
}

describe('AdminOrdersView: filters in the URL', () => {
  it('shows and asks for the filters a shared URL holds, and an order leads back to them', async () => {
    const { location, filters } = setup('/admin/orders?status=paid&email=ann');

    fireEvent.click(await screen.findByRole('link', { name: 'FM26110001' }));
    await waitFor(() => expect(location().pathname).toBe('/admin/orders/T3JkZXI6MQ%3D%3D'));
    fireEvent.click(screen.getByRole('link', { name: '← All orders' }));

    await waitFor(() => expect(location().search).toBe('?status=paid&email=ann'));
    expect(await screen.findByRole('searchbox', { name: 'Shopper email' })).toHaveValue('ann');
    expect(screen.getByText('Paid', { selector: '.ant-select *' })).toBeInTheDocument();
    expect(filters()[0]).toEqual({ status: 'PAID', userEmail: 'ann' });
  });

  it('puts a new filter in the URL and clears them all from it', async () => {
    const { location, filters } = setup('/admin/orders?status=paid');
    await screen.findByRole('link', { name: 'FM26110001' });

    fireEvent.change(screen.getByRole('searchbox', { name: 'Order number' }), { target: { value: 'FM2611' } });
    fireEvent.keyDown(screen.getByRole('searchbox', { name: 'Order number' }), { key: 'Enter' });
    await waitFor(() => expect(location().search).toBe('?status=paid&number=FM2611'));
    await waitFor(() => expect(filters().at(-1)).toEqual({ status: 'PAID', number: 'FM2611' }));

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(location().search).toBe(''));
    expect(screen.getByRole('searchbox', { name: 'Order number' })).toHaveValue('');
  });
});
