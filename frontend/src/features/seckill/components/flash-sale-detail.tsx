import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Tag } from '@/components/ui/tag';
import type { FlashSaleDetailQuery, SeckillTicketProgressFragment } from '@/gql/graphql';
import { formatCountdown } from '@/utils/duration';
import { paths } from '@/config/paths';
import { phaseTag } from '../utils/phase-tag';
import { buyButtonState, saleCountdown, salePhase, ticketHolds } from '../utils/sale-state';
import { roomBuyButtonState } from '../utils/waiting-room';
import { SalePicture, SalePrice, SaleProductLink, SaleStock } from './sale-deal';
import { TicketProgress } from './ticket-progress';
import { WaitingRoom, type WaitingRoomProps } from './waiting-room';
import { useTranslation } from 'react-i18next';

export type FlashSaleDetailEvent = NonNullable<FlashSaleDetailQuery['seckillEvent']>;

export interface FlashSaleDetailProps {
  event: FlashSaleDetailEvent;
  /** Server "now" in ms. */
  now: number;
  onBuy: () => void;
  buying?: boolean;
  errors?: readonly { code: string; message: string }[];
  ticket?: SeckillTicketProgressFragment | null;
  /** Shown on a sale for verified accounts only: what the shopper must do (nothing when verified). */
  verification?: ReactNode;
  /** A WAITING_ROOM sale's room: the shopper's place and the join button (the page's state). */
  room?: Omit<WaitingRoomProps, 'sale' | 'phase' | 'now'>;
}

export function FlashSaleDetail({
  event,
  now,
  onBuy,
  buying = false,
  errors = [],
  ticket = null,
  verification = null,
  room,
}: FlashSaleDetailProps) {
  const { t } = useTranslation('shop');
  const phase = salePhase(event, now);
  const tag = phaseTag(phase);
  const countdown = saleCountdown(event, now);
  const busy = buying || (ticket !== null && ticketHolds(ticket));
  const inRoom = event.admissionMode === 'WAITING_ROOM' && room !== undefined;
  const button = inRoom ? roomBuyButtonState(phase, room.entry, now, busy) : buyButtonState(phase, busy);
  // Drawn with components of our own (src/components/ui), not antd's: a first visit to a sale
  // loads no antd (scripts/bundle-report.mjs).
  return (
    <div className="fm-card">
      <div className="sale-detail">
        <div>
          <SalePicture event={event} to={paths.product(event.product.id)} />
        </div>
        <div className="fm-stack" style={{ gap: 12 }}>
          <div className="fm-row" style={{ justifyContent: 'space-between', alignItems: 'baseline', gap: 8 }}>
            <h2 className="fm-title">{event.name}</h2>
            <span aria-label={t('seckill.status')}>
              <Tag color={tag.color}>{tag.label}</Tag>
            </span>
          </div>
          <SalePrice event={event} size={24} />
          <SaleStock event={event} />
          <SaleProductLink event={event} />
          {event.requiresVerifiedAccount && (
            <>
              <span className="fm-secondary">{t('seckill.verifiedOnly')}</span>
              {verification}
            </>
          )}
          {countdown && (
            <span role="timer" aria-label={countdown.label}>
              {countdown.label} {formatCountdown(countdown.seconds)}
            </span>
          )}
          {inRoom && <WaitingRoom sale={event} phase={phase} now={now} {...room} />}
          {errors.map((error) => (
            <Alert key={error.code + error.message} type="error" title={error.message} />
          ))}
          {/* At phone width the button stays at the bottom of the screen (app/styles.css). */}
          <div className="fm-stack phone-buy-bar" style={{ gap: 4 }}>
            <Button variant="primary" size="large" block onClick={onBuy} disabled={!button.enabled} loading={buying}>
              {t('seckill.buyNow')}
            </Button>
            {button.reason && <span className="fm-secondary">{button.reason}</span>}
          </div>
          {ticket && <TicketProgress ticket={ticket} now={now} />}
        </div>
      </div>
    </div>
  );
}
