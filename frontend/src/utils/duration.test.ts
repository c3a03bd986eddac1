import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '@/lib/i18n';
import { formatCountdown, formatWait } from './duration';

describe('durations', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('formats countdowns', () => {
    expect(formatCountdown(65)).toBe('01:05');
    expect(formatCountdown(3725)).toBe('1:02:05');
    expect(formatCountdown(90_061)).toBe('1d 01:01:01');
    expect(formatCountdown(-3)).toBe('00:00');
  });

  it('words a rough wait', () => {
    expect(formatWait(59)).toBe('less than a minute');
    expect(formatWait(60)).toBe('about 1 minute');
    expect(formatWait(61)).toBe('about 2 minutes');
    expect(formatWait(3 * 3600)).toBe('about 3 hours');
  });

  it('follows the page language', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(formatCountdown(90_061)).toBe('1天 01:01:01');
    expect(formatCountdown(3725)).toBe('1:02:05');
    expect(formatWait(30)).toBe('不到 1 分钟');
    expect(formatWait(61)).toBe('约 2 分钟');
    expect(formatWait(3 * 3600)).toBe('约 3 小时');
  });
});
