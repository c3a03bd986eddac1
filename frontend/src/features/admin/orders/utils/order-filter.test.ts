import { describe, expect, it } from 'vitest';
import { noFilter, ordersBefore, ordersFilterToSearchParams, parseOrdersFilter, toOrderFilter } from './order-filter';

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

describe('orders filter in the URL', () => {
  it('round-trips every filter and the page cursor', () => {
    const value = { status: 'REFUNDED' as const, number: 'FM2611', userEmail: 'ann@', placedFrom: '2026-11-01', placedTo: '2026-11-30' };
    const params = ordersFilterToSearchParams(value, 'b3JkZXI6OQ==');

    expect(params.toString()).toBe('status=refunded&number=FM2611&email=ann%40&from=2026-11-01&to=2026-11-30&before=b3JkZXI6OQ%3D%3D');
    expect(parseOrdersFilter(new URLSearchParams(params.toString()))).toEqual(value);
    expect(ordersBefore(new URLSearchParams(params.toString()))).toBe('b3JkZXI6OQ==');
  });

  it('leaves blanks out and ignores what it does not understand', () => {
    expect(ordersFilterToSearchParams({ ...noFilter, number: '  ' }).toString()).toBe('');
    expect(parseOrdersFilter(new URLSearchParams('status=lost&from=yesterday&to=2026-13-45x&before='))).toEqual(noFilter);
    expect(ordersBefore(new URLSearchParams(''))).toBeNull();
  });

  it('swaps a reversed day range', () => {
    const value = parseOrdersFilter(new URLSearchParams('from=2026-11-30&to=2026-11-01'));
    expect([value.placedFrom, value.placedTo]).toEqual(['2026-11-01', '2026-11-30']);
  });
});
