import { act } from '@testing-library/react';
import { vi } from 'vitest';

/**
 * Lets `ms` of fake time pass in steps of `stepMs`, each in its own `act`, so that what a timer
 * starts (a poll: a state update, then a request) is rendered and sent before the next one fires.
 */
export async function passTime(ms: number, stepMs = 100) {
  for (let passed = 0; passed < ms; passed += stepMs) {
    await act(() => vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - passed)));
  }
  if (ms === 0) await act(() => vi.advanceTimersByTimeAsync(0));
}
