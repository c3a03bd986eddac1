export interface LiveSample {
  /** Milliseconds since the epoch, when the sample arrived. */
  at: number;
  remaining: number;
  /** Jobs whose time has come and no worker has run yet (not the expiries scheduled later). */
  jobsDue: number;
  /** Tickets reserved in Redis and not yet written by the worker. */
  queued: number;
  succeeded: number;
  failed: number;
}

export interface LivePoint extends LiveSample {
  /** Seconds relative to the newest sample (0 = now, -59 = a minute ago). */
  second: number;
}

/** Keep the newest `limit` samples; a sample no newer than the last one replaces nothing. */
export function appendSample(series: readonly LiveSample[], sample: LiveSample, limit = 60): LiveSample[] {
  const last = series[series.length - 1];
  if (last && sample.at <= last.at) return [...series];
  return [...series, sample].slice(-limit);
}

/** Points for a chart whose x axis counts seconds back from now. */
export function toLivePoints(series: readonly LiveSample[]): LivePoint[] {
  const newest = series[series.length - 1]?.at ?? 0;
  return series.map((sample) => ({ ...sample, second: Math.round((sample.at - newest) / 1000) }));
}

export interface AttemptSample {
  /** ISO-8601 start of the second (the server's clock). */
  second: string;
  attempts: number;
}

export interface AttemptPoint {
  /** Seconds relative to the newest whole second the server counted (0 = just now). */
  second: number;
  attempts: number;
}

/** The server's per-second attempt counts on the same "seconds back from now" axis. */
export function toAttemptPoints(samples: readonly AttemptSample[]): AttemptPoint[] {
  const times = samples.map((sample) => Date.parse(sample.second));
  const newest = Math.max(...times);
  return samples.map((sample, index) => ({
    second: Math.round(((times[index] ?? newest) - newest) / 1000),
    attempts: sample.attempts,
  }));
}

/** Attempts in the newest whole second (0 when the server sent none). */
export function latestAttempts(samples: readonly AttemptSample[]): number {
  return samples[samples.length - 1]?.attempts ?? 0;
}
