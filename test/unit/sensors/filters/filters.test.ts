import { describe, expect, it } from 'vitest';
import { CalibrateLinearFilter } from '../../../../src/sensors/filters/calibrate-linear-filter.js';
import { ClampFilter } from '../../../../src/sensors/filters/clamp-filter.js';
import { DeltaFilter } from '../../../../src/sensors/filters/delta-filter.js';
import { ExponentialMovingAverageFilter } from '../../../../src/sensors/filters/exponential-moving-average-filter.js';
import { MedianFilter } from '../../../../src/sensors/filters/median-filter.js';
import { MovingAverageFilter } from '../../../../src/sensors/filters/moving-average-filter.js';
import { ThrottleFilter } from '../../../../src/sensors/filters/throttle-filter.js';
import { TimeoutFilter } from '../../../../src/sensors/filters/timeout-filter.js';
import { type FilterInput, pushes, runFilter } from './run-filter.js';

const S = 1_000_000;

describe('MovingAverageFilter', () => {
  it('by samples: mean of the last N readings (fewer at first)', () => {
    const f = new MovingAverageFilter(3, undefined);
    expect(runFilter(f, pushes([3, 6, 9, 12, 0, 0, 0], S))).toEqual([3, 4.5, 6, 9, 7, 4, 0]);
  });

  it('by window: readings with tUs > now - windowUs, start exclusive', () => {
    const f = new MovingAverageFilter(undefined, 2 * S);
    const inputs: FilterInput[] = [
      [10, 0],
      [20, 1 * S],
      [30, 2 * S], // t=0 leaves: 0 <= 2s - 2s
      [40, 2 * S + 1],
      [50, 10 * S], // a gap empties the window but the reading itself
      ['idle', 11 * S],
      [60, 11 * S],
    ];
    expect(runFilter(f, inputs)).toEqual([10, 15, 25, 30, 50, undefined, 55]);
  });

  it('with both limits, both apply', () => {
    const f = new MovingAverageFilter(2, 3 * S);
    expect(runFilter(f, [[1, 0], [2, S], [3, 2 * S], [5, 5 * S + 1]])).toEqual([1, 1.5, 2.5, 5]);
  });

  it('grows a time window past its initial capacity and keeps the exact mean', () => {
    const f = new MovingAverageFilter(undefined, 1_000 * S);
    const values = Array.from({ length: 300 }, (_, i) => i);
    const out = runFilter(f, pushes(values, 1_000));
    expect(out[299]).toBe(149.5);
    expect(out[63]).toBe(31.5);
    expect(out[64]).toBe(32);
  });

  it('does not drift: the mean depends only on the samples in the window', () => {
    const f = new MovingAverageFilter(4, undefined);
    const noisy = Array.from({ length: 10_000 }, (_, i) => (i % 7) * 0.1 + 1e6 * (i % 3));
    runFilter(f, pushes(noisy, 1));
    const [last] = runFilter(f, [[0.1, 10_000], [0.2, 10_001], [0.3, 10_002], [0.4, 10_003]]).slice(-1);
    expect(last).toBe((0.1 + 0.2 + 0.3 + 0.4) / 4);
  });

  it('rejects a missing or bad size', () => {
    expect(() => new MovingAverageFilter(undefined, undefined)).toThrow(/samples or a duration/);
    expect(() => new MovingAverageFilter(0, undefined)).toThrow(/samples/);
    expect(() => new MovingAverageFilter(2.5, undefined)).toThrow(/samples/);
    expect(() => new MovingAverageFilter(undefined, 0)).toThrow(/duration/);
  });
});

describe('ExponentialMovingAverageFilter', () => {
  it.each<[number, number[], number[]]>([
    [0.5, [0, 4, 8, 8, 0], [0, 2, 5, 6.5, 3.25]],
    [0.25, [8, 0, 0, 16], [8, 6, 4.5, 7.375]],
    [1, [0.1, 0.7, 0.3], [0.1, 0.7, 0.3]],
  ])('alpha %d', (alpha, input, output) => {
    expect(runFilter(new ExponentialMovingAverageFilter(alpha), pushes(input, S))).toEqual(output);
  });

  it('rejects alpha outside (0, 1]', () => {
    for (const a of [0, -0.5, 1.01, NaN]) expect(() => new ExponentialMovingAverageFilter(a)).toThrow(/alpha/);
  });
});

describe('MedianFilter', () => {
  it('by samples: odd and even counts', () => {
    const f = new MedianFilter(3, undefined);
    expect(runFilter(f, pushes([5, 1, 9, 3, 3, 100, -1], S))).toEqual([5, 3, 5, 3, 3, 3, 3]);
    const g = new MedianFilter(4, undefined);
    expect(runFilter(g, pushes([4, 8, 1, 2, 10, 10, 10], S))).toEqual([4, 6, 4, 3, 5, 6, 10]);
  });

  it('by window', () => {
    const f = new MedianFilter(undefined, 3 * S);
    const inputs: FilterInput[] = [[7, 0], [1, S], [4, 2 * S], [10, 3 * S], [2, 3 * S + 1], [0, 9 * S]];
    // windows: {7} {7,1} {7,1,4} {1,4,10} (t=0 left) {1,4,10,2} {0}
    expect(runFilter(f, inputs)).toEqual([7, 4, 4, 4, 3, 0]);
  });

  it('matches a sorted median on long random sequences, with duplicates', () => {
    let x = 12345;
    const rand = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % 50;
    };
    for (const n of [1, 2, 5, 8, 33]) {
      const f = new MedianFilter(n, undefined);
      const recent: number[] = [];
      for (let i = 0; i < 500; i++) {
        const v = rand();
        recent.push(v);
        if (recent.length > n) recent.shift();
        const sorted = [...recent].sort((a, b) => a - b);
        const m = sorted.length >>> 1;
        const expected = sorted.length % 2 ? sorted[m] : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2;
        expect(f.push(v, i)).toBe(expected);
      }
    }
  });

  it('grows a time window past its initial capacity', () => {
    const f = new MedianFilter(undefined, 1_000 * S);
    const out = runFilter(f, pushes(Array.from({ length: 200 }, (_, i) => 199 - i), 1));
    expect(out[199]).toBe(99.5);
  });
});

describe('ClampFilter', () => {
  it('limits to [min, max]', () => {
    expect(runFilter(new ClampFilter(-40, 85), pushes([-41, -40, 0, 85, 85.1, 1e9], S))).toEqual([-40, -40, 0, 85, 85, 85]);
  });
  it('rejects min > max', () => {
    expect(() => new ClampFilter(2, 1)).toThrow(/min/);
  });
});

describe('CalibrateLinearFilter', () => {
  it('computes value * slope + offset', () => {
    expect(runFilter(new CalibrateLinearFilter(2, -1), pushes([0, 1, 2.5, -3], S))).toEqual([-1, 1, 4, -7]);
  });
});

describe('DeltaFilter', () => {
  it('passes the first reading and then changes of at least minChange from the last passed', () => {
    const f = new DeltaFilter(1);
    expect(runFilter(f, pushes([10, 10.5, 10.9, 11, 11.5, 12, 10.9, 11], S))).toEqual([
      10,
      undefined,
      undefined,
      11, // |11 - 10| >= 1: the boundary passes
      undefined,
      12,
      10.9, // |10.9 - 12| = 1.1
      undefined,
    ]);
  });

  it('with minChange 0 passes everything', () => {
    expect(runFilter(new DeltaFilter(0), pushes([1, 1, 1], S))).toEqual([1, 1, 1]);
  });
});

describe('ThrottleFilter', () => {
  it('passes at most one reading per interval, measured from the last one passed', () => {
    const f = new ThrottleFilter(1 * S);
    const inputs: FilterInput[] = [[1, 0], [2, 500_000], [3, 999_999], [4, S], [5, 1_900_000], [6, 2_000_000], [7, 5 * S]];
    expect(runFilter(f, inputs)).toEqual([1, undefined, undefined, 4, undefined, 6, 7]);
  });
});

describe('TimeoutFilter', () => {
  it('fires once per silence, at the first idle tick at or past afterUs, measured from t = 0 before any push', () => {
    const f = new TimeoutFilter(2 * S, -1);
    const inputs: FilterInput[] = [
      ['idle', 1 * S],
      ['idle', 2 * S], // from t = 0: fires
      ['idle', 3 * S],
      [5, 3 * S],
      ['idle', 4 * S],
      ['idle', 5 * S - 1],
      ['idle', 5 * S], // 2 s after the push
      ['idle', 9 * S],
      [6, 10 * S],
      ['idle', 20 * S], // a late first idle tick still fires
    ];
    expect(runFilter(f, inputs)).toEqual([undefined, -1, undefined, 5, undefined, undefined, -1, undefined, 6, -1]);
  });

  it('returns NaN (unknown) when no value is configured', () => {
    const f = new TimeoutFilter(S, undefined);
    expect(runFilter(f, [[3, 0], ['idle', S]])).toEqual([3, NaN]);
  });
});
