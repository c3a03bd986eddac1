import { Card, Col, Row, Statistic, Tag, Typography } from 'antd';
import { Trans, useTranslation } from 'react-i18next';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ControlRoomQuery } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { databaseId } from '@/utils/global-id';
import { latestAttempts, toAttemptPoints, toLivePoints, type LiveSample } from '../utils/live-series';
import { flashSaleStatusColor } from './flash-sales-table';

type Event = NonNullable<ControlRoomQuery['seckillEvent']>;
export type LiveStats = NonNullable<ControlRoomQuery['seckillEventStats']>;

interface SeriesLine {
  dataKey: string;
  name: string;
  color: string;
}

function LiveChart({ title, data, lines }: { title: string; data: object[]; lines: SeriesLine[] }) {
  const { t } = useTranslation('console');
  return (
    <Card title={title} role="figure" aria-label={title}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="second" type="number" domain={[-59, 0]} unit={t('controlRoom.seconds')} />
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
  const { t } = useTranslation('console');
  const room = event.waitingRoom;
  const sold = event.totalStock - event.remainingStock;
  return (
    <Card
      title={t('controlRoom.waitingRoom')}
      role="region"
      aria-label={t('controlRoom.waitingRoom')}
      style={{ marginBottom: 16 }}
    >
      {room ? (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={8} xl={4}>
            <Figure label={t('controlRoom.entrantsJoined')} value={room.joined} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure
              label={t('controlRoom.inDraw')}
              value={room.inDraw}
              footer={room.drawn ? t('controlRoom.drawn') : t('controlRoom.notDrawn')}
            />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure label={t('controlRoom.admitted')} value={room.admitted} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure label={t('controlRoom.grantsOutstanding')} value={room.grantsOutstanding} />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure
              label={t('controlRoom.grantsUsed')}
              value={Math.max(0, room.admitted - room.grantsOutstanding - room.missed)}
              footer={t('controlRoom.unitsSold', { count: sold })}
            />
          </Col>
          <Col xs={12} md={8} xl={4}>
            <Figure label={t('controlRoom.grantsMissed')} value={room.missed} />
          </Col>
        </Row>
      ) : (
        <Typography.Text type="secondary">{t('controlRoom.roomLater')}</Typography.Text>
      )}
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        {t('controlRoom.drawSeed')}{' '}
        {event.drawSeed ? (
          <>
            <Typography.Text code>{event.drawSeed}</Typography.Text>{' '}
            <Trans
              t={t}
              i18nKey="controlRoom.rerunDraw"
              values={{ command: `flashmart seckill verify-draw ${databaseId(event.id)}` }}
              components={{ code: <Typography.Text code /> }}
            />
          </>
        ) : (
          t('controlRoom.seedLater')
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
  const { t } = useTranslation('console');
  const points = toLivePoints(series);
  const attempts = stats?.attemptsPerSecond ?? [];
  return (
    <>
      <Typography.Title level={2}>{t('controlRoom.title', { name: event.product.name })}</Typography.Title>
      <Typography.Paragraph>
        <Tag color={flashSaleStatusColor[event.status]}>{t(`saleStatus.${event.status}`)}</Tag>{' '}
        {formatMoney(event.price)} · {formatDateTime(event.startsAt)} – {formatDateTime(event.endsAt)} ·{' '}
        {t('controlRoom.perShopper', { count: event.perUserLimit })}
        {event.admissionMode === 'WAITING_ROOM' && t('controlRoom.waitingRoomSuffix')}
      </Typography.Paragraph>
      {event.admissionMode === 'WAITING_ROOM' && <RoomFigures event={event} />}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6} xl={3}>
          <Figure label={t('controlRoom.remainingStock')} value={event.remainingStock} suffix={`/ ${String(event.totalStock)}`} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <Figure label={t('controlRoom.ticketsQueued')} value={stats?.ticketsQueued ?? 0} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <Figure label={t('controlRoom.ticketsSucceeded')} value={stats?.ticketsSucceeded ?? 0} />
        </Col>
        <Col xs={12} md={6} xl={3}>
          <Figure label={t('controlRoom.ticketsFailed')} value={stats?.ticketsFailed ?? 0} />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Figure label={t('controlRoom.attemptsPerSecond')} value={latestAttempts(attempts)} />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Figure
            label={t('controlRoom.jobsWaiting')}
            value={jobsDue}
            footer={t('controlRoom.jobsScheduled', { count: jobsScheduled })}
          />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Figure
            label={t('controlRoom.worker')}
            value={workerAlive ? t('controlRoom.alive') : t('controlRoom.notReporting')}
          />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart
            title={t('controlRoom.stockChart')}
            data={points}
            lines={[{ dataKey: 'remaining', name: t('controlRoom.remainingSeries'), color: '#fa541c' }]}
          />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart
            title={t('controlRoom.ticketsChart')}
            data={points}
            lines={[
              { dataKey: 'queued', name: t('controlRoom.queuedSeries'), color: '#faad14' },
              { dataKey: 'succeeded', name: t('controlRoom.succeededSeries'), color: '#52c41a' },
              { dataKey: 'failed', name: t('controlRoom.failedSeries'), color: '#f5222d' },
            ]}
          />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart
            title={t('controlRoom.attemptsChart')}
            data={toAttemptPoints(attempts)}
            lines={[{ dataKey: 'attempts', name: t('controlRoom.attemptsSeries'), color: '#722ed1' }]}
          />
        </Col>
        <Col xs={24} lg={12}>
          <LiveChart
            title={t('controlRoom.jobsChart')}
            data={points}
            lines={[{ dataKey: 'jobsDue', name: t('controlRoom.jobsSeries'), color: '#1677ff' }]}
          />
        </Col>
      </Row>
    </>
  );
}
