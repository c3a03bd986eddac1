export interface MoneyValue {
  amount: string;
  currency: string;
}

/** "19.99" + "USD" -> "$19.99"; an unknown currency code falls back to "19.99 XYZ". */
export function formatMoney({ amount, currency }: MoneyValue, locale = 'en-US'): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

export function formatDateTime(iso: string, locale = 'en-US'): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A time of day to the second, e.g. "10:04:05 AM". */
export function formatTime(iso: string, locale = 'en-US'): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(new Date(iso));
}
