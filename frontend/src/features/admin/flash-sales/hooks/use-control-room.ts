import { useEffect, useState } from 'react';
import type { CombinedError } from '@urql/core';
import { useClient } from 'urql';
import type { ControlRoomQuery as ControlRoomData } from '@/gql/graphql';
import { ControlRoomQuery } from '../api/queries';
import { appendSample, type LiveSample } from '../utils/live-series';

const POLL_MS = 1000;

interface Live {
  data: ControlRoomData | null;
  error: CombinedError | undefined;
  series: LiveSample[];
}

/** One sale's live figures, asked for every second, with the last minute kept for the charts. */
export function useControlRoom(id: string) {
  const client = useClient();
  const [live, setLive] = useState<Live>({ data: null, error: undefined, series: [] });

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      const result = await client.query(ControlRoomQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
      if (stopped) return;
      const at = Date.now();
      setLive((old) => {
        const data = result.data ?? old.data;
        const event = result.data?.seckillEvent;
        const stats = result.data?.seckillEventStats;
        const jobsDue = result.data?.systemStatus.jobsDue ?? 0;
        const series =
          event && stats
            ? appendSample(old.series, {
                at,
                remaining: event.remainingStock,
                jobsDue,
                queued: stats.ticketsQueued,
                succeeded: stats.ticketsSucceeded,
                failed: stats.ticketsFailed,
              })
            : old.series;
        return { data, error: result.error, series };
      });
    };
    void tick();
    const timer = window.setInterval(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [client, id]);

  const { data, error, series } = live;
  return {
    event: data?.seckillEvent ?? null,
    workerAlive: data?.systemStatus.workerAlive ?? false,
    jobsDue: data?.systemStatus.jobsDue ?? 0,
    jobsScheduled: (data?.systemStatus.queueDepth ?? 0) - (data?.systemStatus.jobsDue ?? 0),
    stats: data?.seckillEventStats ?? null,
    series,
    loaded: data !== null,
    error: data ? undefined : error,
  };
}
