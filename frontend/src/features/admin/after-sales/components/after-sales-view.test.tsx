import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeGraphqlFetch, type SentOperation } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { AdminAfterSalesView } from './after-sales-view';

const request = (id: string, state: string, type: string, orderStatus: string, tracking: string | null = null) => ({
  __typename: 'RefundRequest',
  id,
  type,
  state,
  reason: `reason of ${id}`,
  returnTrackingNumber: tracking,
  declineReason: null,
  createdAt: '2030-01-01T10:00:00Z',
  decidedAt: null,
  refundedAt: null,
  order: {
    __typename: 'Order',
    id: `order-${id}`,
    number: `FM-${id}`,
    status: orderStatus,
    total: { __typename: 'Money', amount: '10.00', currency: 'USD' },
    user: { __typename: 'User', id: 'VXNlcjox', email: 'ann@example.com', displayName: 'Ann' },
  },
});

function page(nodes: unknown[]) {
  return {
    data: {
      refundRequests: {
        __typename: 'RefundRequestConnection',
        totalCount: nodes.length,
        pageInfo: { __typename: 'PageInfo', hasPreviousPage: false, startCursor: null },
        edges: nodes.map((node) => ({ __typename: 'RefundRequestEdge', node })),
      },
    },
  };
}

const decided = (field: string, userErrors: unknown[] = []) => (operation: SentOperation) => ({
  data: { [field]: { __typename: 'RefundRequestPayload', refundRequest: null, userErrors, id: operation.variables.id } },
});

function renderList(url = '/admin/after-sales') {
  const nodes = [request('1', 'REQUESTED', 'REFUND', 'PAID'), request('2', 'APPROVED', 'RETURN_AND_REFUND', 'SHIPPED')];
  const { fetch, sent } = fakeGraphqlFetch({
    AdminRefundRequests: () => page(nodes),
    RefundRequestApprove: decided('refundRequestApprove'),
    RefundRequestDecline: decided('refundRequestDecline'),
    RefundRequestRefund: decided('refundRequestRefund', [
      { __typename: 'UserError', field: ['id'], message: 'The return has no tracking number yet', code: 'INVALID_STATE' },
    ]),
  });
  renderWithProviders(<AdminAfterSalesView />, { fetch, url, path: '/admin/after-sales' });
  return { sent };
}

describe('AdminAfterSalesView', () => {
  it('lists requests newest first with the filters of the address', async () => {
    const { sent } = renderList('/admin/after-sales?state=requested&type=refund&from=2030-01-01&to=2030-01-31');

    const table = await screen.findByRole('table', { name: 'Refund requests' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('FM-2');
    expect(rows[1]).toHaveTextContent('FM-1');
    expect(rows[1]).toHaveTextContent('Ann');
    const filter = sent[0]?.variables.filter as Record<string, string>;
    expect(filter.state).toBe('REQUESTED');
    expect(filter.type).toBe('REFUND');
    expect(new Date(filter.createdFrom ?? '').getDate()).toBe(1);
    expect(new Date(filter.createdTo ?? '').getDate()).toBe(1); // the day after the 31st
  });

  it('approves after a confirmation and reloads the list', async () => {
    const { sent } = renderList();
    const row = within(await screen.findByRole('table', { name: 'Refund requests' })).getByRole('row', { name: /FM-1/ });

    fireEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('The money goes back to the shopper now and the units go back on sale.')).toBeInTheDocument();
    expect(sent.map((o) => o.operationName)).not.toContain('RefundRequestApprove');
    const [, confirm] = screen.getAllByRole('button', { name: 'Approve' });
    fireEvent.click(confirm as HTMLElement);

    await vi.waitFor(() =>
      expect(sent.filter((o) => o.operationName === 'AdminRefundRequests').length).toBeGreaterThanOrEqual(2),
    );
    expect(sent.find((o) => o.operationName === 'RefundRequestApprove')?.variables).toEqual({ id: '1' });
  });

  it('declines with a reason the shopper sees', async () => {
    const { sent } = renderList();
    const row = within(await screen.findByRole('table', { name: 'Refund requests' })).getByRole('row', { name: /FM-1/ });

    fireEvent.click(within(row).getByRole('button', { name: 'Decline' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('button', { name: 'Decline request' })).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Reason (the shopper sees it)'), { target: { value: 'Past 30 days' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Decline request' }));

    await vi.waitFor(() =>
      expect(sent.find((o) => o.operationName === 'RefundRequestDecline')?.variables).toEqual({ id: '1', reason: 'Past 30 days' }),
    );
  });

  it('waits for the tracking number before a return can be refunded', async () => {
    renderList();
    const row = within(await screen.findByRole('table', { name: 'Refund requests' })).getByRole('row', { name: /FM-2/ });
    expect(within(row).getByRole('button', { name: 'Waiting for tracking' })).toBeDisabled();
  });
});
