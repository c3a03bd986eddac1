import { Alert, Steps } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { SeckillTicketProgressFragment } from '@/gql/graphql';

const statusLabel = { QUEUED: 'Queued', SUCCEEDED: 'Succeeded', FAILED: 'Failed' } as const;

/** A ticket's way QUEUED → SUCCEEDED / FAILED, then the way to pay. */
export function TicketProgress({ ticket }: { ticket: SeckillTicketProgressFragment }) {
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
      {ticket.status === 'SUCCEEDED' && (
        <Alert
          type="success"
          showIcon
          title="You got it! Pay before the reservation expires."
          action={
            ticket.order ? <Link to={paths.order(ticket.order.id)}>Pay now</Link> : undefined
          }
        />
      )}
      {ticket.status === 'FAILED' && (
        <Alert type="error" showIcon title={ticket.failureReason ?? 'Your ticket could not be fulfilled.'} />
      )}
    </section>
  );
}
