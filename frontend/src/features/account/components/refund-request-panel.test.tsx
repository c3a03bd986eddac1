import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { RefundRequestFieldsFragment } from '@/gql/graphql';
import { RefundRequestPanel, type RefundRequestPanelProps } from './refund-request-panel';

const request = (overrides: Partial<RefundRequestFieldsFragment> = {}): RefundRequestFieldsFragment => ({
  __typename: 'RefundRequest',
  id: 'UmVmdW5kUmVxdWVzdDox',
  type: 'REFUND',
  state: 'REQUESTED',
  reason: 'Changed my mind',
  returnTrackingNumber: null,
  declineReason: null,
  createdAt: '2030-01-01T10:00:00Z',
  decidedAt: null,
  refundedAt: null,
  ...overrides,
});

function renderPanel(props: Partial<RefundRequestPanelProps> = {}) {
  const onRequest = vi.fn<RefundRequestPanelProps['onRequest']>(() => Promise.resolve({ ok: true }));
  const onAddTracking = vi.fn<RefundRequestPanelProps['onAddTracking']>(() => Promise.resolve({ ok: true }));
  render(
    <RefundRequestPanel status="PAID" requests={[]} busy={false} onRequest={onRequest} onAddTracking={onAddTracking} {...props} />,
  );
  return { onRequest, onAddTracking };
}

describe('RefundRequestPanel', () => {
  it('asks for a reason before requesting a refund of a paid order', async () => {
    const { onRequest } = renderPanel();

    fireEvent.click(screen.getByRole('button', { name: 'Request refund' }));
    expect(screen.queryByLabelText('Return tracking number (optional)')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Send request' }));
    expect(await screen.findByText('Tell the shop why')).toBeInTheDocument();
    expect(onRequest).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Why do you want a refund?'), { target: { value: ' Too late ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send request' }));

    await vi.waitFor(() => expect(onRequest).toHaveBeenCalledWith('Too late', null));
  });

  it('takes a return tracking number for a shipped order, and shows why a request failed', async () => {
    const { onRequest } = renderPanel({ status: 'SHIPPED' });
    onRequest.mockResolvedValueOnce({ ok: false, messages: ['This order already has an open refund request.'], fieldErrors: [] });

    fireEvent.click(screen.getByRole('button', { name: 'Request refund' }));
    fireEvent.change(screen.getByLabelText('Why do you want a refund?'), { target: { value: 'Broken' } });
    fireEvent.change(screen.getByLabelText('Return tracking number (optional)'), { target: { value: 'SF123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send request' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('This order already has an open refund request.');
    expect(onRequest).toHaveBeenCalledWith('Broken', 'SF123');
  });

  it('shows an open request and offers no second one', () => {
    renderPanel({ requests: [request()] });

    expect(screen.getByLabelText('Refund request state')).toHaveTextContent('Requested');
    expect(screen.getByRole('status')).toHaveTextContent('The shop will look at your request soon.');
    expect(screen.queryByRole('button', { name: /Request/ })).toBeNull();
  });

  it('asks for the tracking number of an approved return', async () => {
    const { onAddTracking } = renderPanel({
      status: 'SHIPPED',
      requests: [request({ type: 'RETURN_AND_REFUND', state: 'APPROVED' })],
    });

    expect(screen.getByLabelText('Refund request state')).toHaveTextContent('Return approved');
    fireEvent.change(screen.getByLabelText('Return tracking number'), { target: { value: 'YT42' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save tracking number' }));

    await vi.waitFor(() => expect(onAddTracking).toHaveBeenCalledWith('UmVmdW5kUmVxdWVzdDox', 'YT42'));
  });

  it('says why a request was declined and lets the shopper ask again', () => {
    renderPanel({ requests: [request({ state: 'DECLINED', declineReason: 'Ships tomorrow' })] });

    expect(screen.getByLabelText('Refund request state')).toHaveTextContent('Declined');
    expect(screen.getByText('Reason: Ships tomorrow')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request a refund again' })).toBeInTheDocument();
  });

  it('shows nothing for an unpaid order', () => {
    const { container } = render(
      <RefundRequestPanel status="PENDING_PAYMENT" requests={[]} busy={false} onRequest={vi.fn()} onAddTracking={vi.fn()} />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
