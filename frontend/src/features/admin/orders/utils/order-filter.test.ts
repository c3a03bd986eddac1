import { describe, expect, it } from 'vitest';
import { noFilter, toOrderFilter } from './order-filter';

describe('toOrderFilter', () => {
  it('sends nothing when nothing is chosen', () => {
    expect(toOrderFilter(noFilter)).toBeNull();
    expect(toOrderFilter({ ...noFilter, number: '  ', userEmail: ' ' })).toBeNull();
  });

  it('trims text and makes the last day an exclusive bound at the next local midnight', () => {
    const filter = toOrderFilter({
      status: 'PAID',
      number: ' FM2611 ',
      userEmail: 'ann@',
      placedFrom: '2026-11-01',
      placedTo: '2026-11-30',
    });
    expect(filter).toEqual({
      status: 'PAID',
      number: 'FM2611',
      userEmail: 'ann@',
      createdFrom: new Date(2026, 10, 1).toISOString(),
      createdTo: new Date(2026, 11, 1).toISOString(),
    });
  });
});
