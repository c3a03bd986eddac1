import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { AuditResult } from './audit-result';
import { FlashSalesTable, type FlashSaleRow } from './flash-sales-table';

const sale = (overrides: Partial<FlashSaleRow> = {}): FlashSaleRow => ({
  __typename: 'SeckillEvent',
  id: 'U2Vja2lsbEV2ZW50OjE=',
  status: 'ACTIVE',
  totalStock: 100,
  remainingStock: 40,
  perUserLimit: 1,
  startsAt: '2030-01-01T10:00:00Z',
  endsAt: '2030-01-01T11:00:00Z',
  price: { __typename: 'Money', amount: '9.90', currency: 'USD' },
  product: { __typename: 'Product', id: 'UHJvZHVjdDox', name: 'Phone' },
  ...overrides,
});

describe('FlashSalesTable', () => {
  it('shows status, price and stock, and warms up after confirmation', async () => {
    const onWarmUp = vi.fn();
    renderWithProviders(<FlashSalesTable events={[sale()]} onWarmUp={onWarmUp} warmingUp={false} />);

    const row = screen.getByRole('row', { name: /Phone/ });
    expect(within(row).getByText('Live')).toBeInTheDocument();
    expect(within(row).getByText('$9.90')).toBeInTheDocument();
    expect(within(row).getByText('40 / 100')).toBeInTheDocument();

    fireEvent.click(within(row).getByRole('button', { name: 'Warm up Phone' }));
    expect(onWarmUp).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByRole('button', { name: 'Warm up' }));
    expect(onWarmUp).toHaveBeenCalledWith(expect.objectContaining({ id: 'U2Vja2lsbEV2ZW50OjE=' }));
  });

  it('offers no warm-up for an ended sale', () => {
    renderWithProviders(<FlashSalesTable events={[sale({ status: 'ENDED' })]} onWarmUp={vi.fn()} warmingUp={false} />);

    expect(screen.getByRole('button', { name: 'Warm up Phone' })).toBeDisabled();
  });
});

describe('AuditResult', () => {
  it('says whether the audit passed and lists failing checks', () => {
    renderWithProviders(
      <AuditResult
        audit={{
          __typename: 'SeckillAudit',
          passed: false,
          totalStock: 10,
          remaining: 0,
          pending: 0,
          sold: 11,
          orders: 11,
          ticketsSucceeded: 11,
          ticketsFailed: 0,
          oversold: 1,
          undersold: 0,
          maxPerUser: 1,
          checks: [{ __typename: 'SeckillAuditCheck', name: 'no oversell', passed: false, detail: 'sold 11 of 10' }],
        }}
      />,
    );

    const result = screen.getByRole('region', { name: 'Audit result' });
    expect(within(result).getByText('Audit failed')).toBeInTheDocument();
    expect(within(result).getByText('Fail')).toBeInTheDocument();
    expect(within(result).getByText(/no oversell: sold 11 of 10/)).toBeInTheDocument();
  });
});
