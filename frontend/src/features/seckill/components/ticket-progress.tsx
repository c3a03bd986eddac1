import { Alert, Steps } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { SeckillTicketProgressFragment } from '@/gql/graphql';
import { formatCountdown, secondsUntil } from '@/lib/server-time';

const statusLabel = { QUEUED: 'Queued', SUCCEEDED: 'Succeeded', FAILED: 'Failed' } as const;

/** What a SUCCEEDED ticket's order asks of the shopper now (server time `now`, in ms). */
function WonOrder({ ticket, now }: { ticket: SeckillTicketProgressFragment; now: number }) {
  const order = ticket.order;
  if (!order) return <Alert type="success" showIcon title="You got it! Your order is being written." />;
  const link = (label: string) => <Link to={paths.order(order.id)}>{label}</Link>;
  if (order.status === 'PENDING_PAYMENT') {
    const left = ticket.payBy ? secondsUntil(ticket.payBy, now) : null;
    if (left !== null && left <= 0) {
      return <Alert type="warning" showIcon title="The time to pay is up." action={link('See the order')} />;
    }
    const within = left === null ? 'before the reservation expires' : `within ${formatCountdown(left)}`;
    return <Alert type="success" showIcon title={`You got it — pay ${within}`} action={link('Pay now')} />;
  }
  if (order.status === 'EXPIRED' || order.status === 'CANCELLED') {
    return <Alert type="warning" showIcon title="Your reservation lapsed unpaid." action={link('See the order')} />;
  }
  return <Alert type="success" showIcon title="You bought this in the sale." action={link('See your order')} />;
}

/** A ticket's way QUEUED → SUCCEEDED / FAILED, then the way to pay (or to the order once paid). */
export function TicketProgress({ ticket, now }: { ticket: SeckillTicketProgressFragment; now: number }) {
  const final = ticket.status !== 'QUEUED';
  return (
    <section aria-label="Your ticket">
      <p>
        Ticket status: <strong data-testid="ticket-status">{statusLabel[ticket.status]}</strong>
      </p>
      <Steps
        size="small"
        current={final ? 1 : 0}
        status={ticket.status === 'FAILED' ? 'error' : ticket.status === 'SUCCEEDED' ? 'finish' : 'process'}
        items={[
          { title: 'Queued' },
          { title: ticket.status === 'FAILED' ? 'Failed' : ticket.status === 'SUCCEEDED' ? 'Succeeded' : 'Order' },
        ]}
      />
      {ticket.status === 'QUEUED' && <Alert type="info" showIcon title="You are in the queue: your order is being written." />}
      {ticket.status === 'SUCCEEDED' && <WonOrder ticket={ticket} now={now} />}
      {ticket.status === 'FAILED' && (
        <Alert type="error" showIcon title={ticket.failureReason ?? 'Your ticket could not be fulfilled.'} />
      )}
    </section>
  );
}
