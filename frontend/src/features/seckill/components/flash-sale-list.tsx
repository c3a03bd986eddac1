import { Card, Col, Progress, Row, Tag, Typography } from 'antd';
import type { FlashSaleFragment, SeckillStatus } from '@/gql/graphql';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import { formatDateTime, formatMoney } from '@/utils/format';

const statusTag: Record<SeckillStatus, { label: string; color: string }> = {
  SCHEDULED: { label: 'Upcoming', color: 'blue' },
  ACTIVE: { label: 'Live', color: 'green' },
  SOLD_OUT: { label: 'Sold out', color: 'red' },
  ENDED: { label: 'Ended', color: 'default' },
};

export function FlashSaleCard({ event }: { event: FlashSaleFragment }) {
  const tag = statusTag[event.status];
  const soldPercent =
    event.totalStock > 0 ? Math.round(((event.totalStock - event.remainingStock) / event.totalStock) * 100) : 100;
  const [whenLabel, whenAt] = event.status === 'SCHEDULED' ? ['Starts', event.startsAt] : ['Ends', event.endsAt];
  return (
    <Card aria-label={event.product.name}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <Typography.Title level={3} style={{ fontSize: 18 }}>
          <Link to={paths.flashSale(event.id)}>{event.product.name}</Link>
        </Typography.Title>
        <Tag color={tag.color}>{tag.label}</Tag>
      </div>
      <Typography.Text strong style={{ fontSize: 18 }}>
        {formatMoney(event.price)}
      </Typography.Text>
      <Progress percent={soldPercent} showInfo={false} aria-label="Sold" />
      <Typography.Text>
        {event.remainingStock} / {event.totalStock} left
      </Typography.Text>
      <br />
      <Typography.Text type="secondary">
        {whenLabel} <time dateTime={whenAt}>{formatDateTime(whenAt)}</time>
      </Typography.Text>
    </Card>
  );
}

export function FlashSaleList({ events }: { events: FlashSaleFragment[] }) {
  return (
    <Row role="list" aria-label="Flash sales" gutter={[16, 16]}>
      {events.map((event) => (
        <Col role="listitem" key={event.id} xs={24} md={12} lg={8}>
          <FlashSaleCard event={event} />
        </Col>
      ))}
    </Row>
  );
}
