import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '@/gql';

const ServerTimeQuery = graphql(`
  query ServerTime {
    serverTime
  }
`);

/** Milliseconds to add to the device clock to get the server's: measured once, around one request. */
export function serverOffset(serverTimeIso: string, sentAtMs: number, receivedAtMs: number): number {
  const server = Date.parse(serverTimeIso);
  if (Number.isNaN(server)) return 0;
  // The server read its clock somewhere during the round trip: assume the middle.
  return server - (sentAtMs + receivedAtMs) / 2;
}

/** Whole seconds left until `targetIso` at server time `nowMs` (never negative). */
export function secondsUntil(targetIso: string, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(targetIso) - nowMs) / 1000));
}

export interface Clock {
  now: () => number;
}

const deviceClock: Clock = { now: () => Date.now() };

/** Server "now" in ms, ticking every `intervalMs`: the device clock plus a known offset. */
export function useServerNow(offsetMs: number, { clock = deviceClock, intervalMs = 1000 } = {}): number {
  const [deviceNow, setDeviceNow] = useState(() => clock.now());
  useEffect(() => {
    const id = setInterval(() => setDeviceNow(clock.now()), intervalMs);
    return () => clearInterval(id);
  }, [clock, intervalMs]);
  return deviceNow + offsetMs;
}

/**
 * The server clock: `serverTime` fetched once (the offset is kept), then the device clock advances
 * it, so a wrong device clock never moves a countdown. Until it is measured the offset is 0.
 */
export function useServerClock(clock: Clock = deviceClock) {
  const client = useClient();
  const [offset, setOffset] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    const sent = clock.now();
    void client
      .query(ServerTimeQuery, {}, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        const serverTime = result.data?.serverTime;
        if (live && typeof serverTime === 'string') setOffset(serverOffset(serverTime, sent, clock.now()));
      });
    return () => {
      live = false;
    };
  }, [client, clock]);
  const now = useServerNow(offset ?? 0, { clock });
  return { now, ready: offset !== null };
}
