import type { ReactNode } from 'react';
import { Alert, Button, Card, Flex, Progress, Tag, Typography } from 'antd';
import type { FlashSaleDetailQuery, SeckillTicketProgressFragment } from '@/gql/graphql';
import { formatCountdown } from '@/utils/duration';
import { formatMoney } from '@/utils/format';
import { phaseTag } from '../utils/phase-tag';
import { buyButtonState, saleCountdown, salePhase, ticketHolds } from '../utils/sale-state';
import { roomBuyButtonState } from '../utils/waiting-room';
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
  const sold = event.totalStock - event.remainingStock;
  const soldPercent = event.totalStock > 0 ? Math.round((sold / event.totalStock) * 100) : 100;
  return (
    <Card>
      <Flex vertical gap={12}>
        <Flex justify="space-between" align="baseline" wrap gap={8}>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {event.name}
          </Typography.Title>
          <span aria-label={t('seckill.status')}>
            <Tag color={tag.color}>{tag.label}</Tag>
          </span>
        </Flex>
        <Typography.Text strong style={{ fontSize: 22 }}>
          {formatMoney(event.price)}
        </Typography.Text>
        <Progress percent={soldPercent} aria-label={t('seckill.sold')} />
        <Typography.Text aria-label={t('seckill.remainingStock')}>
          {t('seckill.left', { remaining: event.remainingStock, total: event.totalStock })}
        </Typography.Text>
        <Typography.Text type="secondary">{t('seckill.limit', { count: event.perUserLimit })}</Typography.Text>
        {event.requiresVerifiedAccount && (
          <>
            <Typography.Text type="secondary">{t('seckill.verifiedOnly')}</Typography.Text>
            {verification}
          </>
        )}
        {countdown && (
          <Typography.Text role="timer" aria-label={countdown.label}>
            {countdown.label} {formatCountdown(countdown.seconds)}
          </Typography.Text>
        )}
        {inRoom && <WaitingRoom sale={event} phase={phase} now={now} {...room} />}
        {errors.map((error) => (
          <Alert key={error.code + error.message} type="error" showIcon title={error.message} />
        ))}
        <Button type="primary" size="large" onClick={onBuy} disabled={!button.enabled} loading={buying}>
          {t('seckill.buyNow')}
        </Button>
        {button.reason && <Typography.Text type="secondary">{button.reason}</Typography.Text>}
        {ticket && <TicketProgress ticket={ticket} now={now} />}
      </Flex>
    </Card>
  );
}
