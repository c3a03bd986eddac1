import type { OrderStatus, SeckillStatus, TicketStatus } from '@/gql/graphql';
import { secondsUntil } from '@/lib/server-time';
import { i18n } from '@/lib/i18n';

export interface SaleTiming {
  status: SeckillStatus;
  startsAt: string;
  endsAt: string;
  remainingStock: number;
}

export type SalePhase = 'UPCOMING' | 'LIVE' | 'SOLD_OUT' | 'ENDED';

/** Where the sale stands at server time `now`: the server's status, moved on by the clock between updates. */
export function salePhase(sale: SaleTiming, now: number): SalePhase {
  if (sale.status === 'ENDED' || Date.parse(sale.endsAt) <= now) return 'ENDED';
  if (sale.status === 'SOLD_OUT' || sale.remainingStock <= 0) return 'SOLD_OUT';
  if (Date.parse(sale.startsAt) > now) return 'UPCOMING';
  return 'LIVE';
}

export interface BuyButtonState {
  enabled: boolean;
  /** Why it is disabled, for the shopper. */
  reason: string | null;
}

export function buyButtonState(phase: SalePhase, busy = false): BuyButtonState {
  switch (phase) {
    case 'UPCOMING':
      return { enabled: false, reason: i18n.t('shop:seckill.notStarted') };
    case 'SOLD_OUT':
      return { enabled: false, reason: i18n.t('shop:seckill.soldOut') };
    case 'ENDED':
      return { enabled: false, reason: i18n.t('shop:seckill.ended') };
    case 'LIVE':
      return { enabled: !busy, reason: null };
  }
}

/** The countdown to show: to the start while upcoming, to the end while live. */
export function saleCountdown(sale: SaleTiming, now: number): { label: string; seconds: number } | null {
  const phase = salePhase(sale, now);
  if (phase === 'UPCOMING') return { label: i18n.t('shop:seckill.startsIn'), seconds: secondsUntil(sale.startsAt, now) };
  if (phase === 'LIVE') return { label: i18n.t('shop:seckill.endsIn'), seconds: secondsUntil(sale.endsAt, now) };
  return null;
}

const statusRank: Record<SeckillStatus, number> = { SCHEDULED: 0, ACTIVE: 1, SOLD_OUT: 2, ENDED: 3 };

/**
 * Stock and status from two live sources (subscription and polling) that may arrive in any order:
 * the further-on status and the lower remaining stock win, so an older answer never rolls the page back.
 */
export function mergeLive<T extends { remainingStock: number; status: SeckillStatus }>(
  base: T,
  ...updates: ({ remainingStock: number; status: SeckillStatus } | null | undefined)[]
): T {
  return updates.reduce<T>(
    (merged, update) =>
      update
        ? {
            ...merged,
            remainingStock: Math.min(merged.remainingStock, update.remainingStock),
            status: statusRank[update.status] > statusRank[merged.status] ? update.status : merged.status,
          }
        : merged,
    base,
  );
}

export function isFinalTicket(status: TicketStatus): boolean {
  return status !== 'QUEUED';
}

/** Orders that gave their unit back: the shopper may try again. */
const releasedOrders: readonly OrderStatus[] = ['EXPIRED', 'CANCELLED'];

/** The ticket still holds (or may still get) a unit, so Buy stays disabled. */
export function ticketHolds(ticket: { status: TicketStatus; order?: { status: OrderStatus } | null }): boolean {
  if (ticket.status === 'FAILED') return false;
  return !(ticket.order && releasedOrders.includes(ticket.order.status));
}
