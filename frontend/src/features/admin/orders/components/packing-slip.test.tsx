import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AdminOrderDetailFragment } from '@/gql/graphql';
import { PackingSlip } from './packing-slip';

const money = (amount: string) => ({ __typename: 'Money' as const, amount, currency: 'USD' });
const order: AdminOrderDetailFragment = {
  __typename: 'Order',
  id: 'T3JkZXI6MQ==',
  number: 'FM-0001',
  status: 'SHIPPED',
  createdAt: '2030-01-01T10:00:00Z',
  paidAt: '2030-01-01T10:01:00Z',
  expiresAt: null,
  allowedTransitions: ['COMPLETED'],
  total: money('30.00'),
  subtotal: money('30.00'),
  shippingFee: money('0.00'),
  shippingAddress: {
    __typename: 'OrderAddress',
    recipient: 'Li Lei',
    phone: '13800138000',
    region: 'Zhejiang',
    city: 'Hangzhou',
    district: 'Xihu',
    street: '18 Wensan Road',
    postcode: '310012',
  },
  shipment: { __typename: 'Shipment', carrier: 'SF Express', trackingNumber: 'SF1234', shippedAt: '2030-01-02T09:00:00Z' },
  user: { __typename: 'User', id: 'VXNlcjox', email: 'ann@example.com', displayName: null, phone: null },
  refundRequests: [],
  seckillEvent: null,
  lines: [{ __typename: 'OrderLine', id: 'T3JkZXJMaW5lOjE=', productName: 'Kettle', quantity: 3, unitPrice: money('10.00'), total: money('30.00') }],
  payments: [],
  events: [],
};

describe('PackingSlip', () => {
  it('shows where the parcel goes and what is in it, without prices, and prints', () => {
    const onPrint = vi.fn();
    render(<PackingSlip order={order} onPrint={onPrint} />);

    const slip = screen.getByRole('article', { name: 'Packing slip' });
    expect(slip).toHaveTextContent('FM-0001');
    expect(within(screen.getByRole('region', { name: 'Ship to' })).getByText(/18 Wensan Road, Xihu, Hangzhou, Zhejiang, 310012/)).toBeInTheDocument();
    expect(slip).toHaveTextContent('SF Express · tracking SF1234');
    const row = within(screen.getByRole('table', { name: 'Items in the parcel' })).getByRole('row', { name: /Kettle/ });
    expect(row).toHaveTextContent('3');
    expect(slip).not.toHaveTextContent('$');
    fireEvent.click(screen.getByRole('button', { name: 'Print' }));
    expect(onPrint).toHaveBeenCalledOnce();
  });
});
