import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AdminOrderDetailFragment } from '@/gql/graphql';
import { renderWithProviders } from '@/testing/render';
import { OrderActions } from './order-actions';
import { AdminOrderDetail } from './order-detail';

const paidOrder: AdminOrderDetailFragment = {
  __typename: 'Order',
  id: 'T3JkZXI6MQ==',
  number: 'FM261123142456123-4821',
  status: 'PAID',
  createdAt: '2026-11-23T14:24:56Z',
  paidAt: '2026-11-23T14:26:00Z',
  expiresAt: '2026-11-23T14:54:56Z',
  allowedTransitions: ['SHIPPED', 'REFUNDED'],
  total: { __typename: 'Money', amount: '30.00', currency: 'USD' },
  subtotal: { __typename: 'Money', amount: '30.00', currency: 'USD' },
  shippingFee: { __typename: 'Money', amount: '0.00', currency: 'USD' },
  shippingAddress: null,
  shipment: null,
  user: { __typename: 'User', id: 'VXNlcjox', email: 'ann@example.com', displayName: null, phone: null },
  refundRequests: [],
  seckillEvent: null,
  lines: [
    {
      __typename: 'OrderLine',
      id: 'T3JkZXJMaW5lOjE=',
      productName: 'Kettle',
      quantity: 3,
      unitPrice: { __typename: 'Money', amount: '10.00', currency: 'USD' },
      total: { __typename: 'Money', amount: '30.00', currency: 'USD' },
    },
  ],
  payments: [
    {
      __typename: 'Payment',
      id: 'UGF5bWVudDox',
      status: 'SUCCEEDED',
      provider: 'sandbox',
      createdAt: '2026-11-23T14:25:00Z',
      settledAt: '2026-11-23T14:26:00Z',
      amount: { __typename: 'Money', amount: '30.00', currency: 'USD' },
    },
  ],
  events: [
    { __typename: 'OrderEvent', fromStatus: null, toStatus: 'PENDING_PAYMENT', reason: 'checkout', createdAt: '2026-11-23T14:24:56Z' },
    { __typename: 'OrderEvent', fromStatus: 'PENDING_PAYMENT', toStatus: 'PAID', reason: 'payment received', createdAt: '2026-11-23T14:26:00Z' },
  ],
};

describe('OrderActions', () => {
  it('offers exactly the transitions the API allows', () => {
    renderWithProviders(<OrderActions allowed={['SHIPPED', 'REFUNDED']} onChangeStatus={vi.fn()} onRefund={vi.fn()} />);

    const group = screen.getByRole('group', { name: 'Order actions' });
    expect(within(group).getAllByRole('button').map((button) => button.textContent)).toEqual([
      'Mark as shipped',
      'Refund',
    ]);
    expect(screen.queryByRole('button', { name: 'Cancel order' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mark as completed' })).toBeNull();
  });

  it('refunds only after confirmation, through the refund operation', async () => {
    const onRefund = vi.fn();
    const onChangeStatus = vi.fn();
    renderWithProviders(<OrderActions allowed={['SHIPPED', 'REFUNDED']} onChangeStatus={onChangeStatus} onRefund={onRefund} />);

    fireEvent.click(screen.getByRole('button', { name: 'Refund' }));
    expect(await screen.findByText('Refund this order?')).toBeInTheDocument();
    expect(onRefund).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, refund' }));
    expect(onRefund).toHaveBeenCalledTimes(1);
    expect(onChangeStatus).not.toHaveBeenCalled();
  });

  it('changes the status after confirmation, and nothing when the admin keeps it', async () => {
    const onChangeStatus = vi.fn();
    renderWithProviders(<OrderActions allowed={['CANCELLED']} onChangeStatus={onChangeStatus} onRefund={vi.fn()} />);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Keep as is' }));
    expect(onChangeStatus).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, cancel order' }));
    expect(onChangeStatus).toHaveBeenCalledWith('CANCELLED');
  });

  it('says so when the order is in a final status', () => {
    renderWithProviders(<OrderActions allowed={[]} onChangeStatus={vi.fn()} onRefund={vi.fn()} />);

    expect(screen.getByText('No further status changes are possible for this order.')).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('AdminOrderDetail', () => {
  it('shows lines, payments, history and the actions of the allowed transitions', () => {
    renderWithProviders(<AdminOrderDetail order={paidOrder} onChangeStatus={vi.fn()} onRefund={vi.fn()} />);

    expect(screen.getByRole('heading', { name: 'Order FM261123142456123-4821' })).toBeInTheDocument();
    expect(screen.getByLabelText('Order status')).toHaveTextContent('Paid');
    expect(within(screen.getByRole('table', { name: 'Order lines' })).getByText('Kettle')).toBeInTheDocument();
    const payments = screen.getByRole('table', { name: 'Payments' });
    expect(within(payments).getByText('Succeeded')).toBeInTheDocument();
    expect(within(payments).getByText('sandbox')).toBeInTheDocument();
    const history = screen.getByLabelText('Status history');
    expect(within(history).getByText('payment received')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refund' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Mark as shipped' })).toBeInTheDocument();
  });
});
