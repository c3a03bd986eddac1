import { describe, expect, it } from 'vitest';
import { appendSample, toLivePoints } from './live-series';

const sample = (at: number, remaining = 10) => ({ at, remaining, queueDepth: 0 });

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
