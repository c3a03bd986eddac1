import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { passTime } from '@/testing/timers';
import { formatTime } from '@/utils/format';
import { AuditBody } from './audit-panel';

function audit(sold: number) {
  return {
    data: {
      seckillEventAudit: {
        __typename: 'SeckillAudit',
        passed: true,
        totalStock: 100,
        remaining: 100 - sold,
        sold,
        pending: 0,
        orders: sold,
        ticketsSucceeded: sold,
        ticketsFailed: 0,
        oversold: 0,
        undersold: 0,
        maxPerUser: 1,
        checks: [],
      },
    },
  };
}

describe('AuditBody', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(new Date('2030-01-01T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('says when it ran and, in the control room, runs again on its own', async () => {
    let runs = 0;
    renderWithProviders(<AuditBody id="U2Vja2lsbEV2ZW50OjE=" refreshSeconds={15} />, {
      fetch: () => Promise.resolve(Response.json(audit(++runs * 10))),
    });

    expect(await screen.findByText(`Checked at ${formatTime('2030-01-01T10:00:00Z')}; runs again every 15 s`))
      .toBeInTheDocument();
    expect(screen.getByText('90')).toBeInTheDocument(); // remaining after the first run's 10 sold

    await passTime(15_000, 500);

    expect(await screen.findByText('80')).toBeInTheDocument();
    expect(screen.getByText(/^Checked at .*18:00:1[5-6]/)).toBeInTheDocument(); // 10:00 UTC in the shop timezone
    expect(runs).toBe(2);
  });

  it('runs once when not asked to refresh', async () => {
    let runs = 0;
    renderWithProviders(<AuditBody id="U2Vja2lsbEV2ZW50OjE=" />, {
      fetch: () => Promise.resolve(Response.json(audit(++runs))),
    });
    expect(await screen.findByText(`Checked at ${formatTime('2030-01-01T10:00:00Z')}`)).toBeInTheDocument();
    await passTime(30_000, 1_000);
    expect(runs).toBe(1);
  });
});
