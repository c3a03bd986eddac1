import type { ReactNode } from 'react';
import { Alert, Button, Card, Col, Flex, Row, Tag, Typography } from 'antd';
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
  return (
    <Card>
      <Row gutter={[24, 16]}>
        <Col xs={24} md={10}>
          <SalePicture event={event} to={paths.product(event.product.id)} />
        </Col>
        <Col xs={24} md={14}>
          <Flex vertical gap={12}>
            <Flex justify="space-between" align="baseline" wrap gap={8}>
              <Typography.Title level={2} style={{ margin: 0 }}>
                {event.name}
              </Typography.Title>
              <span aria-label={t('seckill.status')}>
                <Tag color={tag.color}>{tag.label}</Tag>
              </span>
            </Flex>
            <SalePrice event={event} size={24} />
            <SaleStock event={event} />
            <SaleProductLink event={event} />
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
            {/* At phone width the button stays at the bottom of the screen (app/styles.css). */}
            <Flex vertical gap={4} className="phone-buy-bar">
              <Button type="primary" size="large" block onClick={onBuy} disabled={!button.enabled} loading={buying}>
                {t('seckill.buyNow')}
              </Button>
              {button.reason && <Typography.Text type="secondary">{button.reason}</Typography.Text>}
            </Flex>
            {ticket && <TicketProgress ticket={ticket} now={now} />}
          </Flex>
        </Col>
      </Row>
    </Card>
  );
}
