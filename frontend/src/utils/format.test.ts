import { describe, expect, it } from 'vitest';
import { formatDateTime, formatMoney, formatTime } from '@/utils/format';

describe('format', () => {
  it('shows CNY as ¥ in Chinese and CN¥ in English', () => {
    expect(formatMoney({ amount: '19.9', currency: 'CNY' }, 'zh-CN')).toBe('¥19.90');
    expect(formatMoney({ amount: '19.9', currency: 'CNY' }, 'en-US')).toBe('CN¥19.90');
    expect(formatMoney({ amount: '5', currency: 'XYZ1' })).toBe('5 XYZ1');
  });

  it('shows dates in 24-hour time in the shop timezone, named', () => {
    // 13:30 UTC is 21:30 in Asia/Shanghai (the default shop timezone).
    expect(formatDateTime('2026-12-05T13:30:00Z', 'en-US')).toBe('Dec 05, 2026, 21:30 GMT+8');
    expect(formatDateTime('2026-12-05T13:30:00Z', 'zh-CN')).toBe('2026/12/05 GMT+8 21:30');
    expect(formatTime('2026-12-05T13:04:05Z', 'en-US')).toBe('21:04:05');
  });
});
