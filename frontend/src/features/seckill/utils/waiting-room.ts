import type { WaitingRoomEntryFieldsFragment } from '@/gql/graphql';
import { secondsUntil } from '@/lib/server-time';
import { buyButtonState, type BuyButtonState, type SalePhase } from './sale-state';
import { i18n } from '@/lib/i18n';

export type RoomEntry = WaitingRoomEntryFieldsFragment;

/** When the draw runs: the sale's start plus its lottery window (ms since the epoch). */
export function drawTime(sale: { startsAt: string; lotteryWindowSeconds: number }): number {
  return Date.parse(sale.startsAt) + sale.lotteryWindowSeconds * 1000;
}

/** Seconds left on the shopper's admission grant at server time `now`; null without a live grant. */
export function grantSecondsLeft(entry: RoomEntry | null, now: number): number | null {
  if (entry?.state !== 'ADMITTED' || !entry.grantExpiresAt) return null;
  const left = secondsUntil(entry.grantExpiresAt, now);
  return left > 0 ? left : null;
}

/** The buy button of a waiting-room sale: on only while the sale is live and the shopper's grant runs. */
export function roomBuyButtonState(phase: SalePhase, entry: RoomEntry | null, now: number, busy = false): BuyButtonState {
  const sale = buyButtonState(phase, busy);
  if (phase !== 'LIVE') return sale;
  if (entry === null) return { enabled: false, reason: i18n.t('shop:room.joinFirst') };
  if (entry.state === 'ADMITTED' && entry.grantExpiresAt === null) return { enabled: false, reason: null };
  if (grantSecondsLeft(entry, now) !== null) return sale;
  return { enabled: false, reason: i18n.t('shop:room.waitTurn') };
}

/**
 * How far the queue has moved since the shopper first saw their place: 0 at the first `ahead` seen,
 * 100 once nobody is ahead or the shopper was admitted.
 */
export function queueProgress(firstAhead: number | null, entry: RoomEntry | null): number {
  if (entry === null) return 0;
  if (entry.state !== 'WAITING') return 100;
  if (entry.ahead === null || firstAhead === null) return 0;
  if (firstAhead <= 0) return 100;
  const moved = Math.max(0, firstAhead - entry.ahead);
  return Math.min(100, Math.round((moved / firstAhead) * 100));
}
