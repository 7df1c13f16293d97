import { describe, expect, it } from 'vitest';
import { DurationHistogram } from '../../../src/profiler/histograms.js';

describe('DurationHistogram', () => {
  it('is exact below 128 ns and within 1/64 above, up to minutes', () => {
    for (const us of [0.001, 0.05, 0.127, 0.128, 0.999, 1.5, 37.2, 999, 12_345.6, 2_500_000, 5_000_000, 900e6]) {
      const h = new DurationHistogram();
      h.recordUs(us / 2);
      h.recordUs(us);
      h.recordUs(us * 2);
      const p50 = h.percentileUs(50);
      if (us < 0.128) expect(p50).toBe(Math.round(us * 1000) / 1000);
      else expect(Math.abs(p50 - us) / us).toBeLessThanOrEqual(1 / 64);
    }
  });

  it('summarizes: percentiles by count (weights included), exact max and mean', () => {
    const h = new DurationHistogram();
    for (let i = 1; i <= 100; i++) h.recordUs(i);
    h.recordUs(1000, 100);
    const s = h.summary();
    expect(s?.count).toBe(200);
    expect(s?.maxUs).toBe(1000);
    expect(s?.meanUs).toBeCloseTo((5050 + 100_000) / 200, 6);
    expect(s?.p50Us).toBeCloseTo(100, -0.5);
    expect(s?.p90Us).toBe(1000);
    expect(new DurationHistogram().summary()).toBeNull();
  });

  it('never reports a percentile outside the recorded range, and clamps what it cannot hold', () => {
    const h = new DurationHistogram();
    h.recordUs(5);
    h.recordUs(5);
    expect(h.summary()).toMatchObject({ p50Us: 5, p99Us: 5, maxUs: 5 });
    h.recordUs(-3);
    h.recordUs(1e12);
    expect(h.percentileUs(0)).toBe(0);
    expect(h.summary()?.maxUs).toBeCloseTo(2 ** 40 / 1000, -3);
  });
});
