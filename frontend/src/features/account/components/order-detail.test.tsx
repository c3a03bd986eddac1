import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import type { OrderDetailFragment } from '@/gql/graphql';
import { OrderDetail } from './order-detail';

const money = (amount: string) => ({ __typename: 'Money' as const, amount, currency: 'USD' });

const order: OrderDetailFragment = {
  __typename: 'Order',
  id: 'T3JkZXI6MQ==',
  number: 'FM-20300101-0001',
  status: 'PENDING_PAYMENT',
  createdAt: '2030-01-01T10:00:00Z',
  paidAt: null,
  expiresAt: '2030-01-01T10:15:00Z',
  total: money('89.97'),
  subtotal: money('89.97'),
  shippingFee: money('0.00'),
  shippingAddress: null,
  shipment: null,
  lines: [
    { __typename: 'OrderLine', id: 'T3JkZXJMaW5lOjE=', productName: 'Brew Master Kettle', quantity: 3, unitPrice: money('29.99'), total: money('89.97'), product: { __typename: 'Product', id: 'UHJvZHVjdDoy' } },
  ],
  events: [{ __typename: 'OrderEvent', fromStatus: null, toStatus: 'PENDING_PAYMENT', reason: 'Checkout', createdAt: '2030-01-01T10:00:00Z' }],
  refundRequests: [],
};

function renderOrder(props: Partial<Parameters<typeof OrderDetail>[0]> = {}) {
  return render(
    <MemoryRouter>
      <OrderDetail order={order} {...props} />
    </MemoryRouter>,
  );
}

describe('OrderDetail', () => {
  it('shows number, status, lines with totals and the status history', () => {
    renderOrder();

    expect(screen.getByRole('heading', { name: 'Order FM-20300101-0001' })).toBeInTheDocument();
    expect(screen.getByLabelText('Order status')).toHaveTextContent('Pending payment');
    const row = within(screen.getByRole('table', { name: 'Order lines' })).getByRole('row', { name: /Brew Master Kettle/ });
    expect(row).toHaveTextContent('3');
    expect(row).toHaveTextContent('$29.99');
    expect(screen.getByText('Order total')).toBeInTheDocument();
    expect(screen.getByLabelText('Status history')).toHaveTextContent('Checkout');
  });

  it('offers cancelling an unpaid order, after a confirmation', async () => {
    const onCancel = vi.fn();
    renderOrder({ onCancel });

    fireEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    expect(onCancel).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, cancel it' }));

    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('offers no cancel once the order is paid', () => {
    renderOrder({ order: { ...order, status: 'PAID', paidAt: '2030-01-01T10:05:00Z' }, onCancel: vi.fn() });

    expect(screen.getByLabelText('Order status')).toHaveTextContent('Paid');
    expect(screen.queryByRole('button', { name: 'Cancel order' })).toBeNull();
  });
});
