import { Card, Col, Row, Statistic, Tag, Typography } from 'antd';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ControlRoomQuery } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { databaseId } from '@/utils/global-id';
import { latestAttempts, toAttemptPoints, toLivePoints, type LiveSample } from '../utils/live-series';
import { flashSaleStatus } from './flash-sales-table';

type Event = NonNullable<ControlRoomQuery['seckillEvent']>;
export type LiveStats = NonNullable<ControlRoomQuery['seckillEventStats']>;

interface SeriesLine {
  dataKey: string;
  name: string;
  color: string;
}

function LiveChart({ title, data, lines }: { title: string; data: object[]; lines: SeriesLine[] }) {
  return (
    <Card title={title} role="figure" aria-label={title}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="second" type="number" domain={[-59, 0]} unit=" s" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          {lines.length > 1 && <Legend />}
          {lines.map((line) => (
            <Line
              key={line.dataKey}
              type="stepAfter"
              dataKey={line.dataKey}
              name={line.name}
              stroke={line.color}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </Card>
  );
}

function Figure({
  label,
  value,
  suffix,
  footer,
}: {
  label: string;
  value: number | string;
  suffix?: string;
  footer?: string;
}) {
  return (
    <Card role="group" aria-label={label} style={{ height: '100%' }}>
      <Statistic title={label} value={value} suffix={suffix} />
      {footer && <Typography.Text type="secondary">{footer}</Typography.Text>}
    </Card>
  );
}

/** A room sale's counters: who joined, who was drawn and admitted, and what became of the grants. */
function RoomFigures({ event }: { event: Event }) {
  const room = event.waitingRoom;
  const sold = event.totalStock - event.remainingStock;
  return (
    <Card title="Waiting room" role="region" aria-label="Waiting room" style={{ marginBottom: 16 }}>
      {room ? (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={8} xl={4}>
            <Figure label="Entrants joined" value={room.joined} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure label="In the draw" value={room.inDraw} footer={room.drawn ? 'Drawn' : 'Not drawn yet'} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure label="Admitted" value={room.admitted} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure label="Grants outstanding" value={room.grantsOutstanding} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure
              label="Grants used"
              value={Math.max(0, room.admitted - room.grantsOutstanding - room.missed)}
              footer={`${String(sold)} units sold`}
            />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure label="Grants missed" value={room.missed} />
          </Col>
        </Row>
      ) : (
        <Typography.Text type="secondary">The room's figures appear once the sale is warm.</Typography.Text>
      )}
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        Draw seed:{' '}
        {event.drawSeed ? (
          <>
            <Typography.Text code>{event.drawSeed}</Typography.Text> (re-run the draw with{' '}
            <Typography.Text code>flashmart seckill verify-draw {databaseId(event.id)}</Typography.Text>)
          </>
        ) : (
          'published after the draw'
        )}
      </Typography.Paragraph>
    </Card>
  );
}

export interface ControlRoomProps {
  event: Event;
  stats: LiveStats | null;
  /** Jobs a worker has yet to run (persisting reservations, payments, expiries now due). */
  jobsDue: number;
  /** Jobs waiting for their time, mostly unpaid orders' expiries: no work yet. */
  jobsScheduled: number;
  workerAlive: boolean;
  series: LiveSample[];
}

/** A running sale at a glance: stock, tickets, attempts and the jobs waiting for a worker, live,
 * for the last minute. */
export function ControlRoom({ event, stats, jobsDue, jobsScheduled, workerAlive, series }: ControlRoomProps) {
  const status = flashSaleStatus[event.status];
  const points = toLivePoints(series);
  const attempts = stats?.attemptsPerSecond ?? [];
  return (
    <>
      <Typography.Title level={2}>Control room: {event.product.name}</Typography.Title>
      <Typography.Paragraph>
        <Tag color={status.color}>{status.label}</Tag> {formatMoney(event.price)} · {formatDateTime(event.startsAt)} –{' '}
        {formatDateTime(event.endsAt)} · {event.perUserLimit} per shopper
        {event.admissionMode === 'WAITING_ROOM' && ' · waiting room'}
      </Typography.Paragraph>
      {event.admissionMode === 'WAITING_ROOM' && <RoomFigures event={event} />}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6} xl={3}>
          <Figure label="Remaining stock" value={event.remainingStock} suffix={`/ ${String(event.totalStock)}`} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <Figure label="Tickets queued" value={stats?.ticketsQueued ?? 0} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <Figure label="Tickets succeeded" value={stats?.ticketsSucceeded ?? 0} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <Figure label="Tickets failed" value={stats?.ticketsFailed ?? 0} />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Figure label="Attempts per second" value={latestAttempts(attempts)} />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Figure label="Jobs waiting for a worker" value={jobsDue} footer={`${String(jobsScheduled)} scheduled for later`} />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Figure label="Worker" value={workerAlive ? 'Alive' : 'Not reporting'} />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart
            title="Remaining stock, last minute"
            data={points}
            lines={[{ dataKey: 'remaining', name: 'Remaining', color: '#fa541c' }]}
          />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart
            title="Tickets, last minute"
            data={points}
            lines={[
              { dataKey: 'queued', name: 'Queued', color: '#faad14' },
              { dataKey: 'succeeded', name: 'Succeeded', color: '#52c41a' },
              { dataKey: 'failed', name: 'Failed', color: '#f5222d' },
            ]}
          />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart
            title="Purchase attempts per second, last minute"
            data={toAttemptPoints(attempts)}
            lines={[{ dataKey: 'attempts', name: 'Attempts', color: '#722ed1' }]}
          />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart
            title="Jobs waiting for a worker, last minute"
            data={points}
            lines={[{ dataKey: 'jobsDue', name: 'Jobs waiting', color: '#1677ff' }]}
          />
        </Col>
      </Row>
    </>
  );
}
