/** Calendar days (YYYY-MM-DD, the browser's time zone) as list filters use them. */

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function startOfLocalDay(day: string): Date {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}

/** A well-formed day from a URL, or null. */
export function parseDay(raw: string | null): string | null {
  if (!raw || !DAY.test(raw)) return null;
  return Number.isNaN(startOfLocalDay(raw).getTime()) ? null : raw;
}

/** First and last day (both included) as the API's `createdFrom` / exclusive `createdTo`. */
export function dayRange(first: string | null, last: string | null): { createdFrom?: string; createdTo?: string } {
  const range: { createdFrom?: string; createdTo?: string } = {};
  if (first) range.createdFrom = startOfLocalDay(first).toISOString();
  if (last) {
    const next = startOfLocalDay(last);
    next.setDate(next.getDate() + 1);
    range.createdTo = next.toISOString();
  }
  return range;
}

/** Two days from a URL, swapped when given backwards. */
export function orderedDays(first: string | null, last: string | null): [string | null, string | null] {
  return first && last && first > last ? [last, first] : [first, last];
}
