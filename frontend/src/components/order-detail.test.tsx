import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderDetailFieldsFragment } from '@/gql/graphql';
import { OrderDetail } from './order-detail';

const money = (amount: string) => ({ __typename: 'Money' as const, amount, currency: 'USD' });

const order: OrderDetailFieldsFragment = {
  __typename: 'Order',
  id: 'T3JkZXI6MQ==',
  number: 'FM-20300101-0001',
  status: 'PENDING_PAYMENT',
  createdAt: '2030-01-01T10:00:00Z',
  paidAt: null,
  expiresAt: '2030-01-01T10:15:00Z',
  total: money('20.00'),
  subtotal: money('20.00'),
  shippingFee: money('0.00'),
  shippingAddress: null,
  shipment: null,
  lines: [{ __typename: 'OrderLine', id: 'T3JkZXJMaW5lOjE=', productName: 'Kettle', quantity: 2, unitPrice: money('10.00'), total: money('20.00') }],
  events: [
    { __typename: 'OrderEvent', fromStatus: null, toStatus: 'PENDING_PAYMENT', reason: 'Checkout', createdAt: '2030-01-01T10:00:00Z' },
    { __typename: 'OrderEvent', fromStatus: 'PENDING_PAYMENT', toStatus: 'CANCELLED', reason: '', createdAt: '2030-01-01T10:05:00Z' },
  ],
};

describe('OrderDetail', () => {
  it('shows heading, status, facts, lines and history, with the shop\'s wording by default', () => {
    render(<OrderDetail order={order} actionErrors={['Too late to cancel']} />);

    expect(screen.getByRole('heading', { name: 'Order FM-20300101-0001' })).toBeInTheDocument();
    expect(screen.getByLabelText('Order status')).toHaveTextContent('Pending payment');
    expect(screen.getByRole('alert')).toHaveTextContent('Too late to cancel');
    expect(screen.getByText('Pay before')).toBeInTheDocument();
    expect(screen.queryByText('Paid')).toBeNull();
    const row = within(screen.getByRole('table', { name: 'Order lines' })).getByRole('row', { name: /Kettle/ });
    expect(row).toHaveTextContent('$10.00');
    expect(screen.queryByText('Order total')).toBeNull();
    expect(screen.getByLabelText('Status history')).toHaveTextContent('Checkout');
    expect(screen.getByLabelText('Status history')).not.toHaveTextContent('from');
  });

  it('takes the differences between shop and console as props', () => {
    render(
      <OrderDetail
        order={order}
        leadingFacts={[{ key: 'who', label: 'Shopper', children: 'ann@example.com' }]}
        trailingFacts={[{ key: 'source', label: 'Source', children: 'Cart checkout' }]}
        unpaidText="Not paid"
        expiresLabel="Expires"
        factsFooter={<button type="button">Footer action</button>}
        renderProduct={(line) => <a href="/p">{line.productName}</a>}
        showTotalRow
        afterLines={<section aria-label="Payments">none</section>}
        showPreviousStatus
      >
        <p>Under the heading</p>
      </OrderDetail>,
    );

    expect(screen.getByText('Under the heading')).toBeInTheDocument();
    for (const text of ['Shopper', 'Source', 'Not paid', 'Expires', 'Order total']) {
      expect(screen.getByText(text)).toBeInTheDocument();
    }
    expect(screen.getByRole('button', { name: 'Footer action' })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Order lines' })).getByRole('link', { name: 'Kettle' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Payments' })).toBeInTheDocument();
    expect(screen.getByLabelText('Status history')).toHaveTextContent('Cancelled from Pending payment');
  });

  it('shows where the order ships, its shipping fee, and the parcel once shipped', () => {
    render(
      <OrderDetail
        order={{
          ...order,
          status: 'SHIPPED',
          shippingFee: money('8.00'),
          shippingAddress: {
            __typename: 'OrderAddress',
            recipient: 'Li Lei',
            phone: '13800138000',
            region: 'Zhejiang',
            city: 'Hangzhou',
            district: '',
            street: '18 Wensan Road',
            postcode: '310012',
          },
          shipment: { __typename: 'Shipment', carrier: 'SF Express', trackingNumber: 'SF1234', shippedAt: '2030-01-02T09:00:00Z' },
        }}
      />,
    );
    expect(screen.getByText('Li Lei')).toBeInTheDocument();
    expect(screen.getByText('18 Wensan Road, Hangzhou, Zhejiang, 310012')).toBeInTheDocument();
    expect(screen.getByText('$8.00')).toBeInTheDocument();
    expect(screen.getByText('SF Express')).toBeInTheDocument();
    expect(screen.getByText('SF1234')).toBeInTheDocument();
  });

  it('says when an order has no address yet', () => {
    render(<OrderDetail order={order} />);
    expect(screen.getByText('No address yet')).toBeInTheDocument();
  });
});
