import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import type { OrderStatus, SeckillTicketProgressFragment } from '@/gql/graphql';
import { saleDetailAnswer, saleProduct } from '../testing/sale-answer';
import { FlashSaleDetail, type FlashSaleDetailEvent } from './flash-sale-detail';

const start = Date.parse('2030-05-01T10:00:00Z');
const event = (overrides: Partial<FlashSaleDetailEvent> = {}): FlashSaleDetailEvent =>
  saleDetailAnswer({
    name: 'Headphones Day',
    product: saleProduct({ name: 'Noise-cancelling Headphones' }),
    remainingStock: 7,
    totalStock: 50,
    startsAt: '2030-05-01T10:00:00Z',
    endsAt: '2030-05-01T11:00:00Z',
    ...overrides,
  }).data.seckillEvent as FlashSaleDetailEvent;

function show(props: Partial<Parameters<typeof FlashSaleDetail>[0]> = {}) {
  const onBuy = vi.fn();
  render(
    <MemoryRouter>
      <FlashSaleDetail event={event()} now={start + 1000} onBuy={onBuy} {...props} />
    </MemoryRouter>,
  );
  return { onBuy, button: screen.getByRole('button', { name: 'Buy now' }) };
}

const ticket = (status: SeckillTicketProgressFragment['status'], extra: Partial<SeckillTicketProgressFragment> = {}) =>
  ({ __typename: 'SeckillTicket' as const, id: 'VGlja2V0OjE=', status, queuePosition: null, failureReason: null, payBy: null, order: null, ...extra });
const order = (status: OrderStatus) => ({ __typename: 'Order' as const, id: 'T3JkZXI6OQ==', status });

describe('FlashSaleDetail', () => {
  it('shows price, stock and the countdown to the start by server time; Buy is disabled before the start', () => {
    const { button } = show({ event: event({ status: 'SCHEDULED' }), now: start - 65_000 });
    expect(screen.getByText('$99.00')).toBeInTheDocument();
    expect(screen.getByText('7 left of 50')).toBeInTheDocument();
    expect(screen.getByRole('timer', { name: 'Starts in' })).toHaveTextContent('Starts in 01:05');
    expect(button).toBeDisabled();
    expect(screen.getByText('Upcoming')).toBeInTheDocument();
  });

  it('enables Buy while live and calls onBuy', () => {
    const { button, onBuy } = show();
    expect(screen.getByRole('timer', { name: 'Ends in' })).toHaveTextContent('Ends in 59:59');
    expect(button).toBeEnabled();
    fireEvent.click(button);
    expect(onBuy).toHaveBeenCalledOnce();
  });

  it('disables Buy when sold out', () => {
    expect(show({ event: event({ remainingStock: 0, status: 'SOLD_OUT' }) }).button).toBeDisabled();
    expect(screen.getByText('Sold out.')).toBeInTheDocument();
  });

  it('disables Buy after the end', () => {
    expect(show({ now: start + 3_600_000 }).button).toBeDisabled();
    expect(screen.getByText('The sale has ended.')).toBeInTheDocument();
  });

  it('shows a queued ticket and keeps Buy disabled', () => {
    const { button } = show({ ticket: ticket('QUEUED') });
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Queued');
    expect(screen.getByText('You are in the queue: your order is being written.')).toBeInTheDocument();
    expect(button).toBeDisabled();
  });

  it("tells a queued ticket's place in the queue once the server has said it", () => {
    show({ ticket: ticket('QUEUED', { queuePosition: 3 }) });
    expect(screen.getByText('Number 3 in the queue: your order is being written.')).toBeInTheDocument();
  });

  it('shows the sale by its name', () => {
    show();
    expect(screen.getByRole('heading', { name: 'Headphones Day' })).toBeInTheDocument();
  });

  it('shows a succeeded ticket with the time left to pay and the way to pay', () => {
    const payBy = new Date(start + 1000 + 754_000).toISOString(); // 12:34 after "now"
    const { button } = show({ ticket: ticket('SUCCEEDED', { payBy, order: order('PENDING_PAYMENT') }) });
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Succeeded');
    expect(screen.getByText('You got it — pay within 12:34')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Pay now' })).toHaveAttribute('href', '/account/orders/T3JkZXI6OQ%3D%3D');
    expect(button).toBeDisabled();
  });

  it('says when the time to pay is up', () => {
    const payBy = new Date(start).toISOString();
    show({ ticket: ticket('SUCCEEDED', { payBy, order: order('PENDING_PAYMENT') }) });
    expect(screen.getByText('The time to pay is up.')).toBeInTheDocument();
  });

  it('links to the order once it is paid, and keeps Buy disabled', () => {
    const { button } = show({ ticket: ticket('SUCCEEDED', { order: order('PAID') }) });
    expect(screen.getByText('You bought this in the sale.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See your order' })).toHaveAttribute('href', '/account/orders/T3JkZXI6OQ%3D%3D');
    expect(screen.queryByRole('link', { name: 'Pay now' })).toBeNull();
    expect(button).toBeDisabled();
  });

  it('lets the shopper try again after the reservation lapsed unpaid', () => {
    const { button } = show({ ticket: ticket('SUCCEEDED', { order: order('EXPIRED') }) });
    expect(screen.getByText('Your reservation lapsed unpaid.')).toBeInTheDocument();
    expect(button).toBeEnabled();
  });

  it('shows a failed ticket with its reason and lets the shopper try again', () => {
    const { button } = show({ ticket: ticket('FAILED', { failureReason: 'Sold out before your turn.' }) });
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Failed');
    expect(screen.getByText('Sold out before your turn.')).toBeInTheDocument();
    expect(button).toBeEnabled();
  });

  it('shows error messages', () => {
    show({ errors: [{ code: 'SOLD_OUT', message: 'Sold out: every unit of this flash sale is taken.' }] });
    expect(screen.getByText('Sold out: every unit of this flash sale is taken.')).toBeInTheDocument();
  });
});
