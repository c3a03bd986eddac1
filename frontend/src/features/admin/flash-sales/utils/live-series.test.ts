import { describe, expect, it } from 'vitest';
import { appendSample, latestAttempts, toAttemptPoints, toLivePoints } from './live-series';

const sample = (at: number, remaining = 10) => ({ at, remaining, jobsDue: 0, queued: 0, succeeded: 0, failed: 0 });

describe('appendSample', () => {
  it('keeps only the newest samples', () => {
    let series = [sample(1000), sample(2000)];
    series = appendSample(series, sample(3000), 2);
    expect(series.map((s) => s.at)).toEqual([2000, 3000]);
  });

  it('ignores a sample that is not newer than the last one', () => {
    expect(appendSample([sample(2000)], sample(2000, 5))).toEqual([sample(2000)]);
  });
});

describe('toLivePoints', () => {
  it('counts seconds back from the newest sample', () => {
    expect(toLivePoints([sample(1000), sample(2000), sample(4000)]).map((p) => p.second)).toEqual([-3, -2, 0]);
  });
});

describe('toAttemptPoints', () => {
  it('puts the server seconds on the seconds-back axis, keeping their counts', () => {
    const samples = [
      { second: '2030-01-01T10:00:58+00:00', attempts: 3 },
      { second: '2030-01-01T10:00:59+00:00', attempts: 0 },
      { second: '2030-01-01T10:01:00+00:00', attempts: 12 },
    ];
    expect(toAttemptPoints(samples)).toEqual([
      { second: -2, attempts: 3 },
      { second: -1, attempts: 0 },
      { second: 0, attempts: 12 },
    ]);
    expect(latestAttempts(samples)).toBe(12);
  });

  it('answers nothing for no samples', () => {
    expect(toAttemptPoints([])).toEqual([]);
    expect(latestAttempts([])).toBe(0);
  });
});
