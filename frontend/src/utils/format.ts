import { env } from '@/config/env';
import { intlLocale } from '@/lib/i18n';

export interface MoneyValue {
  amount: string;
  currency: string;
}

/** "19.99" + "USD" -> "$19.99"; CNY is "¥19.99" in Chinese ("CN¥19.99" in English); an unknown
 * currency code falls back to "19.99 XYZ". The page's language by default. */
export function formatMoney({ amount, currency }: MoneyValue, locale = intlLocale()): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** A date and time in 24-hour time in the shop's timezone, named: "Dec 5, 2026, 21:30 GMT+8",
 * "2026/12/05 21:30 GMT+8". */
export function formatDateTime(iso: string, locale = intlLocale()): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: locale.startsWith('zh') ? '2-digit' : 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: env.shopTimeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** A time of day to the second in the shop's timezone, 24-hour: "21:04:05". */
export function formatTime(iso: string, locale = intlLocale()): string {
  return new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: env.shopTimeZone,
  }).format(new Date(iso));
}
