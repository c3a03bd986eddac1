import { i18n } from '@/lib/i18n';

// Relative times in the page's language: countdowns ("1:02:05", "1d 01:01:01" / "1天 01:01:01")
// and rough waits ("about 3 minutes" / "约 3 分钟").

/** 3725 -> "1:02:05", 65 -> "01:05", 90061 -> "1d 01:01:01" ("1天 01:01:01" in Chinese). */
export function formatCountdown(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = hours > 0 || days > 0 ? `${String(hours)}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
  return days > 0 ? `${i18n.t('duration.days', { count: days })} ${hours < 10 ? '0' : ''}${clock}` : clock;
}

/** 45 -> "less than a minute", 130 -> "about 3 minutes", 7200 -> "about 2 hours". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return i18n.t('duration.lessThanMinute');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return i18n.t('duration.aboutMinutes', { count: minutes });
  return i18n.t('duration.aboutHours', { count: Math.round(minutes / 60) });
}
