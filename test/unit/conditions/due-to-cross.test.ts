/**
 * WindowSumOp.dueToCross lets a node comparing a window with a constant sleep until the
 * comparison could change. Safety, checked directly on random series: from each tick, up to the
 * tick it names (or an earlier change of the series, which wakes the node anyway), polling's
 * comparison never differs from the one at that tick.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesBuffer } from '../../../src/conditions/series-buffer.js';
import { type SumKind, WindowSumOp } from '../../../src/conditions/window-sum-op.js';

const VALUES = [0.1, 0.7, 1 / 3, 2.5, 10, 1e-3, 1e6 + 0.3, -4.2, 0];

/** A series of runs: [value index, length] pairs, the value NaN for index VALUES.length. */
function series(runs: ReadonlyArray<readonly [number, number]>): number[] {
  const xs: number[] = [];
  for (const [v, len] of runs) for (let i = 0; i < len; i++) xs.push(v < VALUES.length ? (VALUES[v] as number) : NaN);
  return xs;
}

function check(kind: SumKind, w: number, xs: readonly number[], thresholds: readonly number[]): { sleeps: number } {
  const buffer = new SeriesBuffer(w + 2);
  const op = new WindowSumOp(buffer, w, kind);
  const results: number[][] = thresholds.map(() => []);
  const values: number[] = [];
  const dues: number[][] = thresholds.map(() => []);
  xs.forEach((x, k) => {
    buffer.record(k, x);
    const v = op.eval(k);
    values.push(v);
    thresholds.forEach((t, i) => {
      (results[i] as number[]).push(v !== v ? NaN : v > t ? 1 : 0);
      (dues[i] as number[]).push(op.dueToCross(k, t));
    });
  });
  let sleeps = 0;
  thresholds.forEach((t, i) => {
    const r = results[i] as number[];
    const d = dues[i] as number[];
    // Walking back from the end: the tick each tick's comparison first differs, or a change of
    // the series (which wakes the node) comes, whichever is first.
    const until = new Array<number>(xs.length).fill(xs.length);
    for (let k = xs.length - 2; k >= 0; k--) {
      const j = k + 1;
      until[k] = !Object.is(xs[j], xs[k]) || !Object.is(r[j], r[k]) ? j : (until[j] as number);
    }
    for (let k = 0; k < xs.length; k++) {
      const due = d[k] as number;
      if (due > k + 1) sleeps++;
      const j = until[k] as number;
      if (j < due && j < xs.length && Object.is(xs[j], xs[j - 1])) {
        expect.fail(`${kind} over ${w} ticks, threshold ${t}: asleep from tick ${k} until ${due}, but the comparison changed at ${j} (${values[k]} -> ${values[j]})`);
      }
    }
  });
  return { sleeps };
}

describe('WindowSumOp.dueToCross', () => {
  it('never sleeps past a change of the comparison (property)', () => {
    let sleeps = 0;
    fc.assert(
      fc.property(
        fc.constantFrom<SumKind>('sum', 'avg', 'count'),
        fc.integer({ min: 3, max: 60 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: VALUES.length }), fc.integer({ min: 1, max: 80 })), { minLength: 5, maxLength: 40 }),
        fc.array(fc.double({ min: -10, max: 20, noNaN: true }), { minLength: 1, maxLength: 3 }),
        (kind, w, runs, offsets) => {
          let xs = series(runs);
          if (kind === 'count') xs = xs.map((x) => (x !== x ? NaN : x > 0.5 ? 1 : 0));
          // Thresholds near what the window holds: its mean over the series, moved a little.
          const known = xs.filter((x) => x === x);
          const mean = known.length === 0 ? 0 : known.reduce((a, b) => a + b, 0) / known.length;
          const scale = kind === 'avg' ? 1 : w;
          const thresholds = offsets.map((o) => mean * scale + (o / 10) * scale);
          sleeps += check(kind, w, xs, thresholds).sleeps;
        },
      ),
      { numRuns: 300, seed: 7 },
    );
    // It does sleep (the property is not met by waking every tick).
    expect(sleeps).toBeGreaterThan(1000);
  });

  it('wakes exactly where a steady climb reaches the threshold', () => {
    // 0 for 20 ticks, then 1: avg over 10 ticks climbs by 0.1 a tick from tick 20 on, and the
    // node can sleep from the first tick of the climb until it reaches 0.55 (tick 25).
    const xs = [...new Array<number>(20).fill(0), ...new Array<number>(40).fill(1)];
    const buffer = new SeriesBuffer(12);
    const op = new WindowSumOp(buffer, 10, 'avg');
    for (let k = 0; k <= 20; k++) {
      buffer.record(k, xs[k] as number);
      op.eval(k);
    }
    expect(op.dueToCross(20, 0.55)).toBe(25);
    expect(op.dueToCross(20, 0.95)).toBe(29);
  });
});
