import { Suspense } from 'react';
import { Link } from 'react-router-dom';
import { lazyAntd } from '@/components/lazy-antd';
import { Alert } from '@/components/ui/alert';
import { paths } from '@/config/paths';
import type { SeckillTicketProgressFragment } from '@/gql/graphql';
import { secondsUntil } from '@/lib/server-time';
import { formatCountdown } from '@/utils/duration';
import { useTranslation } from 'react-i18next';

// The two steps only draw what the status above says in words: antd's Steps (~8 KB gzipped)
// loads when a ticket is first shown (with the shop's antd theme), not with every visit to a sale.
const Steps = lazyAntd(async () => (await import('antd/es/steps')).default);

/** What a SUCCEEDED ticket's order asks of the shopper now (server time `now`, in ms). */
function WonOrder({ ticket, now }: { ticket: SeckillTicketProgressFragment; now: number }) {
  const { t } = useTranslation('shop');
  const order = ticket.order;
  if (!order) return <Alert type="success" title={t('ticket.writing')} />;
  const link = (label: string) => <Link to={paths.order(order.id)}>{label}</Link>;
  if (order.status === 'PENDING_PAYMENT') {
    const left = ticket.payBy ? secondsUntil(ticket.payBy, now) : null;
    if (left !== null && left <= 0) {
      return <Alert type="warning" title={t('ticket.payUp')} action={link(t('ticket.seeOrder'))} />;
    }
    const title = left === null ? t('ticket.payBeforeExpiry') : t('ticket.payWithin', { time: formatCountdown(left) });
    return <Alert type="success" title={title} action={link(t('ticket.payNow'))} />;
  }
  if (order.status === 'EXPIRED' || order.status === 'CANCELLED') {
    return <Alert type="warning" title={t('ticket.lapsed')} action={link(t('ticket.seeOrder'))} />;
  }
  return <Alert type="success" title={t('ticket.bought')} action={link(t('ticket.seeYourOrder'))} />;
}

/** A ticket's way QUEUED → SUCCEEDED / FAILED, then the way to pay (or to the order once paid). */
export function TicketProgress({ ticket, now }: { ticket: SeckillTicketProgressFragment; now: number }) {
  const { t } = useTranslation('shop');
  const final = ticket.status !== 'QUEUED';
  return (
    <section aria-label={t('ticket.yours')}>
      <p>
        {t('ticket.status')} <strong data-testid="ticket-status">{t(`ticket.${ticket.status}`)}</strong>
      </p>
      <Suspense fallback={null}>
        <Steps
          size="small"
          current={final ? 1 : 0}
          status={ticket.status === 'FAILED' ? 'error' : ticket.status === 'SUCCEEDED' ? 'finish' : 'process'}
          items={[
            { title: t('ticket.QUEUED') },
            { title: ticket.status === 'QUEUED' ? t('ticket.order') : t(`ticket.${ticket.status}`) },
          ]}
        />
      </Suspense>
      {ticket.status === 'QUEUED' && (
        <Alert
          type="info"
         
          title={
            ticket.queuePosition == null
              ? t('ticket.queuedHint')
              : t('ticket.queuedAt', { position: ticket.queuePosition })
          }
        />
      )}
      {ticket.status === 'SUCCEEDED' && <WonOrder ticket={ticket} now={now} />}
      {ticket.status === 'FAILED' && (
        <Alert type="error" title={ticket.failureReason ?? t('ticket.couldNotFulfil')} />
      )}
    </section>
  );
}
