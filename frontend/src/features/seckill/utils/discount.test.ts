import { describe, expect, it } from 'vitest';
import { discountPercent, soldPercent } from './discount';

const usd = (amount: string) => ({ amount, currency: 'USD' });

describe('discountPercent', () => {
  it('is the saving on the regular price in whole percent', () => {
    expect(discountPercent(usd('100.00'), usd('75.00'))).toBe(25);
    expect(discountPercent(usd('19.99'), usd('9.99'))).toBe(50);
  });

  it('rounds down, never claiming more than the shopper saves', () => {
    // 1 - 66.67 / 100 = 33.33 % -> 33; 1 - 0.01 / 0.03 = 66.67 % -> 66
    expect(discountPercent(usd('100'), usd('66.67'))).toBe(33);
    expect(discountPercent(usd('0.03'), usd('0.01'))).toBe(66);
  });

  it('works in cents, not floating point', () => {
    // 0.3 - 0.1 in floats is 0.19999…: 66.666… % either way, but 1.15 -> 0.69 is exactly 40 %.
    expect(discountPercent(usd('1.15'), usd('0.69'))).toBe(40);
  });

  it('shows nothing when there is no saving to show', () => {
    expect(discountPercent(usd('10.00'), usd('10.00'))).toBeNull();
    expect(discountPercent(usd('10.00'), usd('12.00'))).toBeNull();
    expect(discountPercent(usd('0'), usd('0'))).toBeNull();
    expect(discountPercent(usd('1000.00'), usd('999.99'))).toBeNull();
    expect(discountPercent(usd('10.00'), { amount: '5.00', currency: 'CNY' })).toBeNull();
  });
});

describe('soldPercent', () => {
  it('is the share of the stock already sold', () => {
    expect(soldPercent(25, 100)).toBe(75);
    expect(soldPercent(100, 100)).toBe(0);
    expect(soldPercent(0, 3)).toBe(100);
    expect(soldPercent(0, 0)).toBe(100);
  });
});
