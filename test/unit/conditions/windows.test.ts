/** Window aggregates avg/min/max/sum/count/delta/rate (SPEC §4.3), at 10 Hz. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ticksAtLeast } from '../../../src/conditions/temporal-op.js';
import { bits, makeWindow, P10_S, P10_US, refWindow, WINDOW_KINDS, type WindowKind } from './helpers.js';

function runWindow(kind: WindowKind, windowTicks: number, xs: readonly number[]): number[] {
  const w = makeWindow(kind, windowTicks);
  return xs.map((x, k) => w.step(k, x));
}

/** Compares outputs; rate is compared to 12 significant digits, the rest exactly (NaN = NaN). */
function expectSeries(kind: WindowKind, got: readonly number[], want: readonly number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => {
    const w = want[k] as number;
    const ok = kind === 'rate' && Number.isFinite(w) ? Math.abs(g - w) <= 1e-12 * Math.max(1, Math.abs(w)) : Object.is(g, w);
    if (!ok) throw new Error(`${kind} at tick ${k}: got ${g}, want ${w} (all: ${JSON.stringify(got.map(String))})`);
  });
}

describe('window length', () => {
  it('a 1 s window at 10 Hz holds exactly 10 samples; the sample 10 ticks ago has left', () => {
    const W = ticksAtLeast(1_000_000, P10_US);
    expect(W).toBe(10);
    // count of an always-true series = number of samples in the window.
    const ones = new Array<number>(25).fill(1);
    expect(runWindow('count', W, ones)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    // x_k = k: the oldest sample at tick k is k - 9.
    const ramp = Array.from({ length: 25 }, (_, k) => k);
    expect(runWindow('min', W, ramp)).toEqual(ramp.map((k) => Math.max(0, k - 9)));
    // A single 1 at tick 0: in the window up to tick 9, gone at tick 10 (t = 1.0, 1.0 - 1 < 0 is false).
    const spike = [1, ...new Array<number>(14).fill(0)];
    expect(runWindow('sum', W, spike)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(runWindow('max', W, spike)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('a window that does not divide the period: 0.25 s at 10 Hz holds 3 samples (0, 0.1, 0.2 s back)', () => {
    const W = ticksAtLeast(250_000, P10_US);
    expect(W).toBe(3);
    expect(runWindow('count', W, new Array<number>(6).fill(1))).toEqual([1, 2, 3, 3, 3, 3]);
  });
});

describe('known table, 3-tick window', () => {
  // tick:      0    1    2  3  4  5  6    7    8    9
  const x = [2, NaN, 5, 1, 1, 1, NaN, NaN, NaN, 4];
  const table: Record<WindowKind, number[]> = {
    //        0    1    2    3    4       5  6  7    8    9
    sum: [2, 2, 7, 6, 7, 3, 2, 1, NaN, 4],
    avg: [2, 2, 3.5, 3, 7 / 3, 1, 1, 1, NaN, 4],
    min: [2, 2, 2, 1, 1, 1, 1, 1, NaN, 4],
    max: [2, 2, 5, 5, 5, 1, 1, 1, NaN, 4],
    // newest known minus oldest known; a single known sample gives 0
    delta: [0, 0, 3, -4, -4, 0, 0, 0, NaN, 0],
    // per second between those two samples; fewer than two known samples at different ticks: NaN
    // tick 2: (5-2)/0.2 s; 3: (1-5)/0.1 s; 4: (1-5)/0.2 s; 5: 0/0.2 s; 6: 0/0.1 s
    rate: [NaN, NaN, 15, -40, -20, 0, 0, NaN, NaN, NaN],
    count: [],
  };

  it.each(['sum', 'avg', 'min', 'max', 'delta', 'rate'] as const)('%s', (kind) => {
    expectSeries(kind, runWindow(kind, 3, x), table[kind]);
  });

  it('count of a boolean series: unknown samples skipped, all-unknown window -> NaN', () => {
    const c = bits('1011?1???000');
    // tick:          0  1  2  3  4  5  6  7    8    9  10 11
    const want = [1, 1, 2, 2, 2, 2, 1, 1, NaN, 0, 0, 0];
    expect(runWindow('count', 3, c)).toEqual(want);
  });
});

describe('window edge cases', () => {
  it('window filling up from tick 0 (10 ticks)', () => {
    const x = Array.from({ length: 12 }, () => 3);
    expect(runWindow('sum', 10, x)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 30, 30]);
    expect(runWindow('avg', 10, x)).toEqual(new Array<number>(12).fill(3));
    expect(runWindow('delta', 10, x)).toEqual(new Array<number>(12).fill(0));
    expectSeries('rate', runWindow('rate', 10, x), [NaN, ...new Array<number>(11).fill(0)]);
  });

  it('windows never reach before the first recorded tick (origin > 0)', () => {
    const w = makeWindow('count', 10);
    expect([50, 51, 52].map((k) => w.step(k, 1))).toEqual([1, 2, 3]);
    const s = makeWindow('sum', 5);
    expect([100, 101, 102, 103, 104, 105, 106].map((k) => s.step(k, 2))).toEqual([2, 4, 6, 8, 10, 10, 10]);
  });

  it('all-unknown window -> NaN for every kind; known samples coming back are used', () => {
    const x = [NaN, NaN, NaN, 7, NaN, NaN, NaN];
    for (const kind of WINDOW_KINDS) {
      const got = runWindow(kind, 3, kind === 'count' ? x.map((v) => (v === v ? 1 : v)) : x);
      const want = { sum: 7, avg: 7, count: 1, min: 7, max: 7, delta: 0, rate: NaN }[kind];
      expect(got.map(String)).toEqual(['NaN', 'NaN', 'NaN', String(want), String(want), String(want), 'NaN']);
    }
  });

  it('min/max with ties', () => {
    const x = [5, 3, 5, 3, 3, 3, 3];
    expect(runWindow('max', 3, x)).toEqual([5, 5, 5, 5, 5, 3, 3]);
    expect(runWindow('min', 3, x)).toEqual([5, 3, 3, 3, 3, 3, 3]);
    const y = [1, 4, 1, 4, 4, 4, 4];
    expect(runWindow('min', 3, y)).toEqual([1, 1, 1, 1, 1, 4, 4]);
    expect(runWindow('max', 3, y)).toEqual([1, 4, 4, 4, 4, 4, 4]);
  });

  it('min/max when the extreme leaves the window', () => {
    const x = [9, 1, 2, 3, 2, 1, 0, 8, 8, 8, 8];
    expect(runWindow('max', 3, x)).toEqual([9, 9, 9, 3, 3, 3, 2, 8, 8, 8, 8]);
    expect(runWindow('min', 3, x)).toEqual([9, 1, 1, 1, 2, 1, 0, 0, 0, 8, 8]);
    // An unknown extreme is skipped, not kept.
    const y = [1, NaN, 9, NaN, NaN, NaN, 2];
    expect(runWindow('max', 3, y)).toEqual([1, 1, 9, 9, 9, NaN, 2]);
  });

  it('rate is in units per second (10 Hz ramp of 1 per tick = 10 per second)', () => {
    const ramp = Array.from({ length: 20 }, (_, k) => k);
    const got = runWindow('rate', 10, ramp);
    expect(got[0]).toBeNaN();
    for (let k = 1; k < 20; k++) expect(got[k]).toBeCloseTo(10, 9);
    expect(runWindow('delta', 10, ramp)).toEqual(ramp.map((k) => Math.min(k, 9)));
    // 5 Hz would be 5 per second.
    const w = makeWindow('rate', 10, 0.2);
    const got5 = ramp.map((x, k) => w.step(k, x));
    expect(got5[15]).toBeCloseTo(5, 9);
  });

  it('delta with one sample is 0, rate NaN; rate uses the times of the known samples', () => {
    expect(runWindow('delta', 5, [4])).toEqual([0]);
    expect(runWindow('rate', 5, [4])[0]).toBeNaN();
    // known samples at ticks 0 and 4 only: (6 - 2) / 0.4 s = 10 per second
    const got = runWindow('rate', 5, [2, NaN, NaN, NaN, 6]);
    expect(got[4]).toBeCloseTo(10, 12);
    // a known sample that stays: the newest sample is now, so the time span grows
    const held = runWindow('rate', 5, [0, 4, 4, 4]);
    expectSeries('rate', held, [NaN, 40, 20, 4 / 0.3]);
  });

  it('reset forgets the window (op and buffer)', () => {
    const w = makeWindow('sum', 3);
    [1, 2, 3].forEach((x, k) => w.step(k, x));
    w.buffer.reset();
    w.op.reset();
    expect(w.step(10, 5)).toBe(5);
    expect(w.step(11, 5)).toBe(10);
  });
});

describe('windows against the SPEC definition (brute force)', () => {
  it.each(WINDOW_KINDS)('%s over random integer series, windows 1..30 ticks', (kind) => {
    const value = kind === 'count' ? fc.constantFrom(0, 1, NaN) : fc.constantFrom(NaN, -3, 0, 1, 2, 5, 8, 100);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(value, fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 20 }),
        (W, segs) => {
          const xs = segs.flatMap(([v, n]) => new Array<number>(n).fill(v));
          const got = runWindow(kind, W, xs);
          expectSeries(kind, got, xs.map((_, k) => refWindow(xs, k, W, kind, P10_S)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
