import { Card, Col, Row, Statistic, Tag, Typography } from 'antd';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ControlRoomQuery } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { toLivePoints, type LiveSample } from '../utils/live-series';
import { flashSaleStatus } from './flash-sales-table';

type Event = NonNullable<ControlRoomQuery['seckillEvent']>;

function LiveChart({ title, series, dataKey, color }: { title: string; series: LiveSample[]; dataKey: 'remaining' | 'queueDepth'; color: string }) {
  return (
    <Card title={title} role="figure" aria-label={title}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={toLivePoints(series)} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="second" type="number" domain={[-59, 0]} unit=" s" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Line type="stepAfter" dataKey={dataKey} stroke={color} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </Card>
  );
}

export interface ControlRoomProps {
  event: Event;
  queueDepth: number;
  workerAlive: boolean;
  series: LiveSample[];
}

/** A running sale at a glance: stock left and queue depth, live, for the last minute. */
export function ControlRoom({ event, queueDepth, workerAlive, series }: ControlRoomProps) {
  const status = flashSaleStatus[event.status];
  return (
    <>
      <Typography.Title level={2}>Control room: {event.product.name}</Typography.Title>
      <Typography.Paragraph>
        <Tag color={status.color}>{status.label}</Tag> {formatMoney(event.price)} · {formatDateTime(event.startsAt)} –{' '}
        {formatDateTime(event.endsAt)} · {event.perUserLimit} per shopper
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card role="group" aria-label="Remaining stock">
            <Statistic title="Remaining stock" value={event.remainingStock} suffix={`/ ${String(event.totalStock)}`} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card role="group" aria-label="Queue depth">
            <Statistic title="Queue depth" value={queueDepth} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card role="group" aria-label="Worker">
            <Statistic title="Worker" value={workerAlive ? 'Alive' : 'Not reporting'} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart title="Remaining stock, last minute" series={series} dataKey="remaining" color="#fa541c" />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart title="Queue depth, last minute" series={series} dataKey="queueDepth" color="#1677ff" />
        </Col>
      </Row>
    </>
  );
}
