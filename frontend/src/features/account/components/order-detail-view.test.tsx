import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OrderDetailFragment } from '@/gql/graphql';
import { fakeGraphqlFetch, fakeSubscriptions } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { OrderDetailView } from './order-detail-view';

const ID = 'T3JkZXI6MQ==';
const money = (amount: string) => ({ __typename: 'Money' as const, amount, currency: 'USD' });
const paid: OrderDetailFragment = {
  __typename: 'Order',
  id: ID,
  number: 'FM-20300101-0001',
  status: 'PAID',
  createdAt: '2030-01-01T10:00:00Z',
  paidAt: '2030-01-01T10:05:00Z',
  expiresAt: null,
  subtotal: money('29.99'),
  shippingFee: money('0.00'),
  shippingAddress: null,
  shipment: null,
  total: money('29.99'),
  lines: [
    { __typename: 'OrderLine', id: 'T3JkZXJMaW5lOjE=', productName: 'Kettle', quantity: 1, unitPrice: money('29.99'), total: money('29.99'), product: { __typename: 'Product', id: 'UHJvZHVjdDoy' } },
  ],
  events: [],
  refundRequests: [],
};

describe('OrderDetailView', () => {
  it('follows a paid order live: a refund by the shop shows without a reload', async () => {
    const { fetch, sent } = fakeGraphqlFetch({ Order: () => ({ data: { order: paid } }) });
    const subscriptions = fakeSubscriptions();
    subscriptions.connect();
    renderWithProviders(<OrderDetailView orderId={ID} />, { fetch, subscriptions: subscriptions.client });

    expect(await screen.findByLabelText('Order status')).toHaveTextContent('Paid');
    expect(subscriptions.subscribed('OrderLive')).toEqual([{ id: ID }]);

    act(() => {
      subscriptions.push('OrderLive', {
        orderUpdated: {
          ...paid,
          status: 'REFUNDED',
          refundRequests: [
            {
              __typename: 'RefundRequest', id: 'UmVmdW5kUmVxdWVzdDox', type: 'REFUND', state: 'REFUNDED',
              reason: 'Changed my mind', returnTrackingNumber: null, declineReason: null,
              createdAt: '2030-01-01T11:00:00Z', decidedAt: '2030-01-01T11:05:00Z', refundedAt: '2030-01-01T11:05:00Z',
            },
          ],
        },
      });
    });

    await vi.waitFor(() => expect(screen.getByLabelText('Order status')).toHaveTextContent('Refunded'));
    expect(screen.getByLabelText('Refund request state')).toHaveTextContent('Refunded');
    expect(sent.filter((operation) => operation.operationName === 'Order')).toHaveLength(1);
  });
});
