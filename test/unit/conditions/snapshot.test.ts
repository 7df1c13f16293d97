/**
 * snapshot/restore (SPEC §6): a mid-run snapshot of each operator (and its series buffer), through
 * a JSON round trip, restored into fresh instances, continues exactly like the uninterrupted run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChangedOp, ChangedRefOp, FellOp, RoseOp } from '../../../src/conditions/edge-ops.js';
import { HeldOp } from '../../../src/conditions/held-op.js';
import { HysteresisOp } from '../../../src/conditions/hysteresis-op.js';
import { SeqOp } from '../../../src/conditions/seq-op.js';
import { WithinOp } from '../../../src/conditions/within-op.js';
import { compareRestore, makeWindow, piecewise, pulses, WINDOW_KINDS, type Driven } from './helpers.js';
import { jsonRoundTrip } from '../../helpers/json-round-trip.js';

const every = (n: number): number[] => Array.from({ length: n }, (_, k) => k);

const bool = piecewise(80, [[0, 0], [5, 1], [20, 0], [22, NaN], [30, 1], [31, 0], [33, 1], [50, NaN], [55, 0], [60, 1]]);
const numeric = piecewise(80, [[0, 3], [6, 0.1], [9, NaN], [14, -2], [15, 7], [30, 7.5], [31, NaN], [40, 1], [41, 2], [42, 3], [60, 0.7]]);

function one(op: { eval(c: number, tick: number): number; nextDue(t: number): number; snapshot(): unknown; restore(s: unknown): void }): Driven {
  return { step: (k, x) => op.eval(x, k), nextDue: (t) => op.nextDue(t), snapshot: () => op.snapshot(), restore: (s) => op.restore(s) };
}

function edge(op: RoseOp | FellOp | ChangedOp): Driven {
  return { step: (_k, x) => op.eval(x), nextDue: (t) => op.nextDue(t), snapshot: () => op.snapshot(), restore: (s) => op.restore(s) };
}

describe('snapshot / restore through JSON', () => {
  const cases: Array<[string, () => Driven, number[]]> = [
    ['held', () => one(new HeldOp(4)), bool],
    ['held D=0', () => one(new HeldOp(0)), bool],
    ['within', () => one(new WithinOp(6)), bool],
    ['rose', () => edge(new RoseOp(false)), bool],
    ['rose (initial skip)', () => edge(new RoseOp(true)), bool],
    ['fell', () => edge(new FellOp(false)), bool],
    ['changed', () => edge(new ChangedOp(false)), numeric],
  ];

  it.each(cases)('%s', (_name, make, xs) => {
    expect(compareRestore(make, xs, every(xs.length - 1))).toBeUndefined();
  });

  it('restoring before the first evaluation keeps the cold-start behaviour', () => {
    expect(compareRestore(() => edge(new RoseOp(true)), [1, 1, 0, 1], [])).toBeUndefined();
    const fresh = new RoseOp(true);
    const restored = new RoseOp(true);
    restored.restore(jsonRoundTrip(fresh.snapshot()));
    expect(restored.eval(1)).toBe(0);
  });

  it('hysteresis', () => {
    const x = [0, 25, 15, NaN, 15, 5, 15, 30, 12];
    const make = (): Driven => {
      const op = new HysteresisOp();
      return { step: (_k, v) => op.eval(v, 10, 20), nextDue: () => op.nextDue(), snapshot: () => op.snapshot(), restore: (s) => op.restore(s) };
    };
    expect(compareRestore(make, x, every(x.length - 1))).toBeUndefined();
  });

  it('changed over JSON values', () => {
    const xs: unknown[] = ['a', 'a', { v: [1, 2] }, { v: [1, 2] }, undefined, 'b', 'b', { v: [1] }];
    const ref = new ChangedRefOp();
    const expected = xs.map((x) => ref.eval(x));
    for (let m = 0; m < xs.length - 1; m++) {
      const a = new ChangedRefOp();
      for (let k = 0; k <= m; k++) a.eval(xs[k]);
      const b = new ChangedRefOp();
      b.restore(jsonRoundTrip(a.snapshot()));
      for (let k = m + 1; k < xs.length; k++) expect(b.eval(xs[k]), `snapshot after ${m}, tick ${k}`).toBe(expected[k]);
    }
  });

  it('seq (three steps, partial matches in flight, unknown inputs)', () => {
    const n = 60;
    const A = pulses(n, [1, 4, 20, 30, 44]);
    const B = pulses(n, [3, 6, 22, 25, 47]);
    const C = pulses(n, [5, 12, 24, 33, 50]);
    A[10] = NaN;
    B[11] = NaN;
    const steps = [A, B, C];
    const run = (op: SeqOp, from: number, to: number): number[] => {
      const out: number[] = [];
      for (let k = from; k <= to; k++) {
        steps.forEach((s, i) => op.set(i, s[k] as number));
        out.push(op.eval(k));
      }
      return out;
    };
    const make = (): SeqOp => new SeqOp(3, 10, [0, 1, 2]);
    const expected = run(make(), 0, n - 1);
    expect(expected.filter((v) => v === 1).length).toBeGreaterThan(1);
    for (let m = 0; m < n - 1; m++) {
      const a = make();
      run(a, 0, m);
      const b = make();
      b.restore(jsonRoundTrip(a.snapshot()));
      expect(run(b, m + 1, n - 1), `snapshot after tick ${m}`).toEqual(expected.slice(m + 1));
    }
  });

  describe('windows (operator and buffer)', () => {
    for (const kind of WINDOW_KINDS) {
      it.each([1, 3, 10])(`${kind}, window %i ticks`, (W) => {
        const xs = kind === 'count' ? bool : numeric;
        expect(compareRestore(() => makeWindow(kind, W), xs, every(xs.length - 1))).toBeUndefined();
      });
    }

    it.each(WINDOW_KINDS)('%s: random inputs, random windows, random snapshot tick (property)', (kind) => {
      const value = kind === 'count' ? fc.constantFrom(0, 1, NaN) : fc.constantFrom(NaN, 0, 1, 0.1, -2.5, 3.3, 100);
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 30 }),
          fc.array(fc.tuple(value, fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 15 }),
          fc.nat(),
          (W, segs, at) => {
            const xs = segs.flatMap(([v, len]) => new Array<number>(len).fill(v));
            const problem = compareRestore(() => makeWindow(kind, W), xs, [at % xs.length]);
            if (problem !== undefined) throw new Error(problem);
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
