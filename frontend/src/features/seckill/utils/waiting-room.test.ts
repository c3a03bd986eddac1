import { describe, expect, it } from 'vitest';
import type { WaitingRoomState } from '@/gql/graphql';
import { grantSecondsLeft, queueProgress, roomBuyButtonState, type RoomEntry } from './waiting-room';

const now = Date.parse('2030-05-01T10:00:00Z');
const entry = (state: WaitingRoomState, fields: Partial<RoomEntry> = {}): RoomEntry => ({
  __typename: 'WaitingRoomEntry',
  arrival: 1,
  position: 1,
  ahead: 0,
  estimatedWaitSeconds: null,
  state,
  grantExpiresAt: null,
  ...fields,
});

describe('waiting room', () => {
  it('turns the buy button on only while the grant runs, by server time', () => {
    const admitted = entry('ADMITTED', { grantExpiresAt: '2030-05-01T10:01:00Z' });
    expect(roomBuyButtonState('LIVE', admitted, now)).toEqual({ enabled: true, reason: null });
    expect(grantSecondsLeft(admitted, now)).toBe(60);
    expect(roomBuyButtonState('LIVE', admitted, now + 60_000).enabled).toBe(false);
    expect(grantSecondsLeft(admitted, now + 60_000)).toBeNull();
    expect(roomBuyButtonState('LIVE', admitted, now, true).enabled).toBe(false);
    expect(roomBuyButtonState('LIVE', entry('WAITING'), now).enabled).toBe(false);
    expect(roomBuyButtonState('LIVE', null, now).enabled).toBe(false);
    expect(roomBuyButtonState('ENDED', admitted, now)).toEqual({ enabled: false, reason: 'The sale has ended.' });
  });

  it('measures the queue from the first place seen', () => {
    expect(queueProgress(null, entry('WAITING', { ahead: null, position: null }))).toBe(0);
    expect(queueProgress(8, entry('WAITING', { ahead: 8 }))).toBe(0);
    expect(queueProgress(8, entry('WAITING', { ahead: 2 }))).toBe(75);
    expect(queueProgress(0, entry('WAITING', { ahead: 0 }))).toBe(100);
    expect(queueProgress(8, entry('ADMITTED'))).toBe(100);
  });

});
