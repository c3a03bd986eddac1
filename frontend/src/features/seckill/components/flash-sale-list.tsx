import { Card, Col, Row, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { FlashSaleFragment } from '@/gql/graphql';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import { formatCountdown } from '@/utils/duration';
import { formatDateTime } from '@/utils/format';
import { phaseTag } from '../utils/phase-tag';
import { saleCountdown, salePhase } from '../utils/sale-state';
import { SalePicture, SalePrice, SaleProductLink, SaleStock } from './sale-deal';
import { useTranslation } from 'react-i18next';

export interface FlashSaleCardProps {
  event: FlashSaleFragment;
  /** Server "now" in ms: the phase and countdown follow the server's clock, not the device's. */
  now: number;
}

export function FlashSaleCard({ event, now }: FlashSaleCardProps) {
  const { t } = useTranslation('shop');
  const phase = salePhase(event, now);
  const tag = phaseTag(phase);
  const countdown = saleCountdown(event, now);
  const [whenLabel, whenAt] = phase === 'UPCOMING' ? [t('seckill.starts'), event.startsAt] : [t('seckill.ends'), event.endsAt];
  return (
    <Card
      aria-label={event.name}
      style={{ height: '100%' }}
      cover={
        <div style={{ padding: 8 }}>
          <SalePicture event={event} to={paths.flashSale(event.id)} />
        </div>
      }
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 8 }}>
        <Typography.Title level={3} style={{ fontSize: 18 }}>
          <Link to={paths.flashSale(event.id)}>{event.name}</Link>
        </Typography.Title>
        <Tag color={tag.color}>{tag.label}</Tag>
      </div>
      <SalePrice event={event} />
      <SaleStock event={event} />
      {countdown && (
        <>
          <Typography.Text strong role="timer" aria-label={countdown.label}>
            {countdown.label} {formatCountdown(countdown.seconds)}
          </Typography.Text>
          <br />
        </>
      )}
      <Typography.Text type="secondary">
        {whenLabel} <time dateTime={whenAt}>{formatDateTime(whenAt)}</time>
      </Typography.Text>
      <br />
      <SaleProductLink event={event} />
    </Card>
  );
}

export interface FlashSaleListProps {
  events: FlashSaleFragment[];
  now: number;
  /** How one sale is shown; a plain card by default (the view passes one that stays live). */
  renderEvent?: (event: FlashSaleFragment) => ReactNode;
}

export function FlashSaleList({ events, now, renderEvent }: FlashSaleListProps) {
  const { t } = useTranslation('shop');
  return (
    <Row role="list" aria-label={t('seckill.flashSales')} gutter={[16, 16]}>
      {events.map((event) => (
        <Col role="listitem" key={event.id} xs={24} md={12} lg={8}>
          {renderEvent ? renderEvent(event) : <FlashSaleCard event={event} now={now} />}
        </Col>
      ))}
    </Row>
  );
}
