import { lazy, Suspense } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Progress } from '@/components/ui/progress';
import { Tag } from '@/components/ui/tag';
import type { AdmissionMode, WaitingRoomState } from '@/gql/graphql';
import { formatCountdown, formatWait } from '@/utils/duration';
import { formatDateTime } from '@/utils/format';
import type { SalePhase } from '../utils/sale-state';
import { drawTime, grantSecondsLeft, queueProgress, type RoomEntry } from '../utils/waiting-room';
import { useTranslation } from 'react-i18next';
import { i18n } from '@/lib/i18n';

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

const stateColor: Record<WaitingRoomState, string> = {
  WAITING: 'blue',
  ADMITTED: 'green',
  MISSED: 'orange',
  SOLD_OUT: 'red',
};

/** What the shopper's state means and what comes next. */
function nextStep(entry: RoomEntry, sale: WaitingRoomSale, now: number): string {
  switch (entry.state) {
    case 'WAITING':
      return entry.position === null
        ? i18n.t('shop:room.drawPending', { time: formatDateTime(new Date(drawTime(sale)).toISOString()) })
        : i18n.t('shop:room.waiting');
    case 'ADMITTED':
      if (entry.grantExpiresAt === null) return i18n.t('shop:room.used');
      return grantSecondsLeft(entry, now) === null
        ? i18n.t('shop:room.timeUp')
        : i18n.t('shop:room.yourTurn');
    case 'MISSED':
      return i18n.t('shop:room.missed');
    case 'SOLD_OUT':
      return i18n.t('shop:room.soldOut');
  }
}

// Shown once the draw has run: the note (with react-i18next's Trans, ~5 KB gzipped, for its
// code) loads then, not with every sale page.
const DrawSeedNote = lazy(async () => ({ default: (await import('./draw-seed-note')).DrawSeedNote }));

/** A waiting-room sale's room: how it works and the join button, then the shopper's place, live. */
export function WaitingRoom({ sale, phase, now, entry, firstAhead, joining = false, onJoin, errors = [] }: WaitingRoomProps) {
  const { t } = useTranslation('shop');
  const grantLeft = grantSecondsLeft(entry, now);
  return (
    <section aria-label={t('room.title')}>
      <div className="fm-stack" style={{ gap: 8 }}>
        <h4 className="fm-title">{t('room.title')}</h4>
        {entry === null ? (
          <>
            <p className="fm-paragraph">
              {t('room.howItWorks', {
                drawTime: formatDateTime(new Date(drawTime(sale)).toISOString()),
                grant: formatCountdown(sale.grantTtlSeconds),
              })}
            </p>
            <Button variant="primary" size="large" onClick={onJoin} loading={joining} disabled={phase === 'ENDED'}>
              {t('room.join')}
            </Button>
            <span className="fm-secondary">{t('room.joinAgain')}</span>
          </>
        ) : (
          <>
            <span aria-label={t('room.state')}>
              <Tag color={stateColor[entry.state]}>{t(`room.${entry.state}`)}</Tag>
            </span>
            {entry.state === 'WAITING' && (
              <>
                <dl className="fm-descriptions">
                  <div>
                    <dt>{t('room.place')}</dt>
                    <dd>{entry.position ?? t('room.afterDraw')}</dd>
                  </div>
                  <div>
                    <dt>{t('room.ahead')}</dt>
                    <dd>{entry.ahead ?? t('room.afterDraw')}</dd>
                  </div>
                  <div>
                    <dt>{t('room.wait')}</dt>
                    <dd>{entry.estimatedWaitSeconds === null ? t('room.unknown') : formatWait(entry.estimatedWaitSeconds)}</dd>
                  </div>
                </dl>
                <Progress percent={queueProgress(firstAhead, entry)} aria-label={t('room.moved')} />
              </>
            )}
            {grantLeft !== null && (
              <strong role="timer" aria-label={t('room.turnEndsIn')}>
                {t('room.turnEndsIn')} {formatCountdown(grantLeft)}
              </strong>
            )}
            <Alert
              type={entry.state === 'ADMITTED' ? 'success' : entry.state === 'WAITING' ? 'info' : 'warning'}
              title={nextStep(entry, sale, now)}
            />
          </>
        )}
        {errors.map((error) => (
          <Alert key={error.code + error.message} type="error" title={error.message} />
        ))}
        {sale.drawSeed && (
          <Suspense fallback={null}>
            <DrawSeedNote saleId={sale.id} seed={sale.drawSeed} />
          </Suspense>
        )}
      </div>
    </section>
  );
}
