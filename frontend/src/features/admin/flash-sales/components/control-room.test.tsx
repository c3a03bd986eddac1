import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ControlRoom } from './control-room';

const event = {
  id: 'U2Vja2lsbEV2ZW50OjE=',
  status: 'ACTIVE',
  totalStock: 100,
  remainingStock: 37,
  perUserLimit: 1,
  startsAt: '2030-01-01T10:00:00Z',
  endsAt: '2030-01-01T11:00:00Z',
  price: { amount: '9.90', currency: 'USD' },
  product: { id: 'UHJvZHVjdDox', name: 'Phone' },
} as const;

describe('ControlRoom', () => {
  it('shows live stock, queue depth and worker health with their charts', () => {
    render(
      <ControlRoom
        event={event}
        queueDepth={4}
        workerAlive
        series={[{ at: 1000, remaining: 40, queueDepth: 1 }, { at: 2000, remaining: 37, queueDepth: 4 }]}
      />,
    );

    expect(screen.getByRole('heading', { name: 'Control room: Phone' })).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Remaining stock' })).getByText('37')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Queue depth' })).getByText('4')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Worker' })).getByText('Alive')).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Remaining stock, last minute' })).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Queue depth, last minute' })).toBeInTheDocument();
  });
});
