import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { secondsUntil, serverOffset, useServerNow } from './server-time';

describe('server time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('measures the offset against the middle of the round trip', () => {
    // The device clock is 1 h behind; the request took 200 ms.
    const server = Date.parse('2030-01-01T12:00:00.000Z');
    const sent = server - 3_600_000 - 100;
    expect(serverOffset('2030-01-01T12:00:00.000Z', sent, sent + 200)).toBe(3_600_000);
    expect(serverOffset('not a date', 0, 10)).toBe(0);
  });

  it('counts whole seconds down to a target, never below zero', () => {
    const now = Date.parse('2030-01-01T12:00:00.000Z');
    expect(secondsUntil('2030-01-01T12:01:05.000Z', now)).toBe(65);
    expect(secondsUntil('2030-01-01T12:00:00.500Z', now)).toBe(1);
    expect(secondsUntil('2029-12-31T12:00:00.000Z', now)).toBe(0);
  });

  it('ticks from the injected clock plus the server offset, not the device time alone', () => {
    vi.useFakeTimers();
    let device = 1_000_000;
    const clock = { now: () => device };
    const { result, rerender } = renderHook(({ offset }) => useServerNow(offset, { clock }), {
      initialProps: { offset: 5000 },
    });
    expect(result.current).toBe(1_005_000);

    device += 1000;
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(result.current).toBe(1_006_000);

    // A new offset (measured from serverTime) applies at once.
    rerender({ offset: -2000 });
    expect(result.current).toBe(999_000);
  });
});
