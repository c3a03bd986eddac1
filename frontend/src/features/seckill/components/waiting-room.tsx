import { Alert, Button, Descriptions, Flex, Progress, Tag, Typography } from 'antd';
import type { AdmissionMode, WaitingRoomState } from '@/gql/graphql';
import { formatCountdown } from '@/lib/server-time';
import { formatDateTime } from '@/utils/format';
import { databaseId } from '@/utils/global-id';
import type { SalePhase } from '../utils/sale-state';
import { drawTime, formatWait, grantSecondsLeft, queueProgress, type RoomEntry } from '../utils/waiting-room';

export interface WaitingRoomSale {
  id: string;
  admissionMode: AdmissionMode;
  startsAt: string;
  lotteryWindowSeconds: number;
  grantTtlSeconds: number;
  drawSeed?: string | null;
}

export interface WaitingRoomProps {
  sale: WaitingRoomSale;
  phase: SalePhase;
  /** Server "now" in ms. */
  now: number;
  /** The shopper's place; null before joining. */
  entry: RoomEntry | null;
  /** How many were ahead when the shopper first saw their place. */
  firstAhead: number | null;
  joining?: boolean;
  onJoin: () => void;
  errors?: readonly { code: string; message: string }[];
}

const stateTag: Record<WaitingRoomState, { label: string; color: string }> = {
  WAITING: { label: 'Waiting', color: 'blue' },
  ADMITTED: { label: 'Your turn', color: 'green' },
  MISSED: { label: 'Turn missed', color: 'orange' },
  SOLD_OUT: { label: 'Sold out', color: 'red' },
};

/** What the shopper's state means and what comes next. */
function nextStep(entry: RoomEntry, sale: WaitingRoomSale, now: number): string {
  switch (entry.state) {
    case 'WAITING':
      return entry.position === null
        ? `The draw at ${formatDateTime(new Date(drawTime(sale)).toISOString())} puts everyone who joined by then in a random order; then you see your place. Keep this page open.`
        : 'Shoppers are let in a few at a time, in this order. Keep this page open: the buy button turns on when it is your turn.';
    case 'ADMITTED':
      if (entry.grantExpiresAt === null) return 'You used your turn: your ticket is below.';
      return grantSecondsLeft(entry, now) === null
        ? 'Your time to buy is up: the turn passes to the next in line.'
        : 'It is your turn: buy before the countdown runs out, or the turn passes to the next in line.';
    case 'MISSED':
      return 'Your time to buy ran out before you bought, so the turn passed to the next in line.';
    case 'SOLD_OUT':
      return 'Every unit is taken for now. Units that an unpaid order gives back go to those still waiting: keep this page open.';
  }
}

/** A waiting-room sale's room: how it works and the join button, then the shopper's place, live. */
export function WaitingRoom({ sale, phase, now, entry, firstAhead, joining = false, onJoin, errors = [] }: WaitingRoomProps) {
  const grantLeft = grantSecondsLeft(entry, now);
  return (
    <section aria-label="Waiting room">
      <Flex vertical gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          Waiting room
        </Typography.Title>
        {entry === null ? (
          <>
            <Typography.Paragraph style={{ margin: 0 }}>
              This sale lets shoppers in from a waiting room. Everyone who joins by{' '}
              {formatDateTime(new Date(drawTime(sale)).toISOString())} is put in a random order by a draw at that
              moment; who joins later queues behind them in the order they arrive. When it is your turn you have{' '}
              {formatCountdown(sale.grantTtlSeconds)} to buy.
            </Typography.Paragraph>
            <Button type="primary" size="large" onClick={onJoin} loading={joining} disabled={phase === 'ENDED'}>
              Join the waiting room
            </Button>
            <Typography.Text type="secondary">Already joined? Joining again brings your place back.</Typography.Text>
          </>
        ) : (
          <>
            <span aria-label="Waiting room state">
              <Tag color={stateTag[entry.state].color}>{stateTag[entry.state].label}</Tag>
            </span>
            {entry.state === 'WAITING' && (
              <>
                <Descriptions
                  size="small"
                  column={1}
                  items={[
                    { key: 'position', label: 'Your place', children: entry.position ?? 'After the draw' },
                    { key: 'ahead', label: 'People ahead of you', children: entry.ahead ?? 'After the draw' },
                    {
                      key: 'wait',
                      label: 'Estimated wait',
                      children: entry.estimatedWaitSeconds === null ? 'Not known yet' : formatWait(entry.estimatedWaitSeconds),
                    },
                  ]}
                />
                <Progress percent={queueProgress(firstAhead, entry)} aria-label="Queue moved" />
              </>
            )}
            {grantLeft !== null && (
              <Typography.Text strong role="timer" aria-label="Your turn ends in">
                Your turn ends in {formatCountdown(grantLeft)}
              </Typography.Text>
            )}
            <Alert
              type={entry.state === 'ADMITTED' ? 'success' : entry.state === 'WAITING' ? 'info' : 'warning'}
              showIcon
              title={nextStep(entry, sale, now)}
            />
          </>
        )}
        {errors.map((error) => (
          <Alert key={error.code + error.message} type="error" showIcon title={error.message} />
        ))}
        {sale.drawSeed && (
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            Draw seed: <Typography.Text code>{sale.drawSeed}</Typography.Text>. Published after the draw, so anyone can
            re-run it from the seed and the arrivals: <Typography.Text code>flashmart seckill verify-draw {databaseId(sale.id)}</Typography.Text>.
          </Typography.Paragraph>
        )}
      </Flex>
    </section>
  );
}
