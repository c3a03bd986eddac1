import { describe, expect, it } from 'vitest';
import { buyButtonState, mergeLive, saleCountdown, salePhase } from './sale-state';

const start = Date.parse('2030-05-01T10:00:00Z');
const sale = {
  status: 'SCHEDULED' as const,
  startsAt: '2030-05-01T10:00:00Z',
  endsAt: '2030-05-01T11:00:00Z',
  remainingStock: 5,
};

describe('sale state', () => {
  it('moves from upcoming to live to ended by the server clock', () => {
    expect(salePhase(sale, start - 1000)).toBe('UPCOMING');
    expect(salePhase(sale, start)).toBe('LIVE');
    expect(salePhase({ ...sale, status: 'ACTIVE' }, start + 3_600_000)).toBe('ENDED');
    expect(salePhase({ ...sale, status: 'ACTIVE', remainingStock: 0 }, start + 10)).toBe('SOLD_OUT');
  });

  it('counts down to the start, then to the end', () => {
    expect(saleCountdown(sale, start - 65_000)).toEqual({ label: 'Starts in', seconds: 65 });
    expect(saleCountdown(sale, start + 1000)).toEqual({ label: 'Ends in', seconds: 3599 });
    expect(saleCountdown({ ...sale, status: 'ENDED' }, start)).toBeNull();
  });

  it('enables buying only while live and not busy', () => {
    expect(buyButtonState('LIVE')).toEqual({ enabled: true, reason: null });
    expect(buyButtonState('LIVE', true).enabled).toBe(false);
    expect(buyButtonState('UPCOMING').enabled).toBe(false);
    expect(buyButtonState('SOLD_OUT').enabled).toBe(false);
    expect(buyButtonState('ENDED').enabled).toBe(false);
  });

  it('merges live updates without rolling back', () => {
    const base = { id: '1', remainingStock: 3, status: 'ACTIVE' as const };
    expect(mergeLive(base, { remainingStock: 0, status: 'SOLD_OUT' }, null)).toEqual({
      id: '1',
      remainingStock: 0,
      status: 'SOLD_OUT',
    });
    expect(mergeLive({ ...base, remainingStock: 0, status: 'SOLD_OUT' }, { remainingStock: 2, status: 'ACTIVE' })).toEqual({
      id: '1',
      remainingStock: 0,
      status: 'SOLD_OUT',
    });
  });
});
