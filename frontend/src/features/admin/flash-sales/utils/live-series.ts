export interface LiveSample {
  /** Milliseconds since the epoch, when the sample arrived. */
  at: number;
  remaining: number;
  queueDepth: number;
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
