import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ControlRoom } from './control-room';

const event = {
  __typename: 'SeckillEvent',
  id: 'U2Vja2lsbEV2ZW50OjE=',
  status: 'ACTIVE',
  totalStock: 100,
  remainingStock: 37,
  perUserLimit: 1,
  startsAt: '2030-01-01T10:00:00Z',
  endsAt: '2030-01-01T11:00:00Z',
  price: { __typename: 'Money', amount: '9.90', currency: 'USD' },
  product: { __typename: 'Product', id: 'UHJvZHVjdDox', name: 'Phone' },
  admissionMode: 'FIRST_COME',
  drawSeed: null,
  waitingRoom: null,
} as const;
const noStats = { stats: null, jobsDue: 0, jobsScheduled: 0, workerAlive: true, series: [] };
const roomSale = {
  ...event,
  id: 'U2Vja2lsbEV2ZW50Ojc=', // SeckillEvent:7
  admissionMode: 'WAITING_ROOM',
  totalStock: 10,
  remainingStock: 4,
  drawSeed: '0123456789abcdef0123456789abcdef',
  waitingRoom: {
    __typename: 'WaitingRoomStats',
    joined: 120,
    inDraw: 100,
    drawn: true,
    admitted: 15,
    grantsOutstanding: 5,
    missed: 4,
  },
} as const;

describe('ControlRoom', () => {
  it('shows live stock, the jobs waiting for a worker and worker health with their charts', () => {
    render(
      <ControlRoom
        event={event}
        stats={{
          __typename: 'SeckillEventStats',
          ticketsQueued: 2,
          ticketsSucceeded: 61,
          ticketsFailed: 1,
          attemptsPerSecond: [
            { __typename: 'SeckillAttemptSample', second: '2030-01-01T10:10:00+00:00', attempts: 120 },
            { __typename: 'SeckillAttemptSample', second: '2030-01-01T10:10:01+00:00', attempts: 95 },
          ],
        }}
        jobsDue={4}
        jobsScheduled={250}
        workerAlive
        series={[
          { at: 1000, remaining: 40, jobsDue: 1, queued: 5, succeeded: 55, failed: 0 },
          { at: 2000, remaining: 37, jobsDue: 4, queued: 2, succeeded: 61, failed: 1 },
        ]}
      />,
    );

    expect(screen.getByRole('heading', { name: 'Control room: Phone' })).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Remaining stock' })).getByText('37')).toBeInTheDocument();
    const jobs = within(screen.getByRole('group', { name: 'Jobs waiting for a worker' }));
    expect(jobs.getByText('4')).toBeInTheDocument();
    expect(jobs.getByText('250 scheduled for later')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Worker' })).getByText('Alive')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Tickets queued' })).getByText('2')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Tickets succeeded' })).getByText('61')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Tickets failed' })).getByText('1')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Attempts per second' })).getByText('95')).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Tickets, last minute' })).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Purchase attempts per second, last minute' })).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Remaining stock, last minute' })).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Jobs waiting for a worker, last minute' })).toBeInTheDocument();
  });

  it("shows a room sale's entrants, admissions and grants, and the draw seed", () => {
    render(<ControlRoom event={roomSale} {...noStats} />);

    const room = within(screen.getByRole('region', { name: 'Waiting room' }));
    const figure = (label: string) => within(room.getByRole('group', { name: label }));
    expect(figure('Entrants joined').getByText('120')).toBeInTheDocument();
    expect(figure('In the draw').getByText('100')).toBeInTheDocument();
    expect(figure('In the draw').getByText('Drawn')).toBeInTheDocument();
    expect(figure('Admitted').getByText('15')).toBeInTheDocument();
    expect(figure('Grants outstanding').getByText('5')).toBeInTheDocument();
    expect(figure('Grants used').getByText('6')).toBeInTheDocument(); // 15 admitted - 5 outstanding - 4 missed
    expect(figure('Grants used').getByText('6 units sold')).toBeInTheDocument();
    expect(figure('Grants missed').getByText('4')).toBeInTheDocument();
    expect(room.getByText('0123456789abcdef0123456789abcdef')).toBeInTheDocument();
    expect(room.getByText('flashmart seckill verify-draw 7')).toBeInTheDocument();
  });

  it('says when a room sale is not warm or not drawn yet, and shows no room for a first-come sale', () => {
    const { unmount } = render(<ControlRoom event={{ ...roomSale, drawSeed: null, waitingRoom: null }} {...noStats} />);
    const room = within(screen.getByRole('region', { name: 'Waiting room' }));
    expect(room.getByText("The room's figures appear once the sale is warm.")).toBeInTheDocument();
    expect(room.getByText(/published after the draw/)).toBeInTheDocument();
    unmount();

    render(<ControlRoom event={event} {...noStats} />);
    expect(screen.queryByRole('region', { name: 'Waiting room' })).not.toBeInTheDocument();
  });
});
