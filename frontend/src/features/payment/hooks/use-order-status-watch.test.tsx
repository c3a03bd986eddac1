import { act } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderStatus } from '@/gql/graphql';
import { fakeGraphqlFetch, fakeSubscriptions } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { passTime } from '@/testing/timers';
import { ORDER_POLL_MS, useOrderStatusWatch } from './use-order-status-watch';

const ID = 'T3JkZXI6MQ==';

function Watch({ onChange }: { onChange: () => void }) {
  useOrderStatusWatch(ID, 'PENDING_PAYMENT', onChange);
  return null;
}


function watch({ connected }: { connected: boolean }) {
  let status: OrderStatus = 'PENDING_PAYMENT';
  const { fetch, sent } = fakeGraphqlFetch({
    PaymentOrderStatus: () => ({ data: { order: { __typename: 'Order', id: ID, status } } }),
  });
  const subscriptions = fakeSubscriptions();
  if (connected) subscriptions.connect();
  const onChange = vi.fn();
  renderWithProviders(<Watch onChange={onChange} />, { fetch, subscriptions: subscriptions.client });
  return {
    subscriptions,
    onChange,
    reads: () => sent.filter((operation) => operation.operationName === 'PaymentOrderStatus').length,
    setStatus: (next: OrderStatus) => {
      status = next;
    },
  };
}

describe('useOrderStatusWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the order once and sends no polls while the socket is connected: orderUpdated brings the change', async () => {
    const { subscriptions, onChange, reads } = watch({ connected: true });
    await passTime(10 * ORDER_POLL_MS);
    expect(reads()).toBe(1);
    expect(subscriptions.subscribed('PaymentOrderUpdated')).toEqual([{ id: ID }]);

    act(() => {
      subscriptions.push('PaymentOrderUpdated', { orderUpdated: { __typename: 'Order', id: ID, status: 'PAID' } });
    });
    expect(onChange).toHaveBeenCalled();
    expect(reads()).toBe(1);
  });

  it('polls every 3 s while the socket is down', async () => {
    const { reads } = watch({ connected: false });
    await passTime(0);
    expect(reads()).toBe(1);
    await passTime(ORDER_POLL_MS);
    expect(reads()).toBe(2);
    await passTime(3 * ORDER_POLL_MS);
    expect(reads()).toBe(5);
  });

  it('reads once more when the socket reconnects, so a change missed meanwhile still shows, then stops polling', async () => {
    const { subscriptions, onChange, reads, setStatus } = watch({ connected: true });
    await passTime(0);
    act(() => {
      subscriptions.drop();
    });
    await passTime(ORDER_POLL_MS);
    expect(reads()).toBe(2);

    setStatus('PAID');
    act(() => {
      subscriptions.connect();
    });
    await passTime(0);
    expect(reads()).toBe(3);
    expect(onChange).toHaveBeenCalled();
    await passTime(10 * ORDER_POLL_MS);
    expect(reads()).toBe(3);
  });

  it('polls with the socket up once orderUpdated failed: it will bring nothing more', async () => {
    const { subscriptions, reads } = watch({ connected: true });
    await passTime(ORDER_POLL_MS);
    expect(reads()).toBe(1);
    act(() => {
      subscriptions.fail('PaymentOrderUpdated', 'Internal server error');
    });
    await passTime(2 * ORDER_POLL_MS);
    expect(reads()).toBe(3);
  });
});
