/**
 * SPEC §4.4: event-driven evaluation (only when an input changed or a deadline from `nextDue`
 * fell due) gives exactly the outputs of polling every tick.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChangedOp, FellOp, RoseOp } from '../../../src/conditions/edge-ops.js';
import { HeldOp } from '../../../src/conditions/held-op.js';
import { WithinOp } from '../../../src/conditions/within-op.js';
import { compareLazy, makeWindow, piecewise, WINDOW_KINDS, type Driven, type WindowKind } from './helpers.js';

function simple(op: { eval(c: number, tick: number): number; nextDue(tick: number): number; snapshot(): unknown; restore(s: unknown): void }): Driven {
  return {
    step: (tick, x) => op.eval(x, tick),
    nextDue: (tick) => op.nextDue(tick),
    snapshot: () => op.snapshot(),
    restore: (s) => op.restore(s),
  };
}

function edge(op: RoseOp | FellOp | ChangedOp): Driven {
  return {
    step: (_tick, x) => op.eval(x),
    nextDue: (tick) => op.nextDue(tick),
    snapshot: () => op.snapshot(),
    restore: (s) => op.restore(s),
  };
}

/** Piecewise-constant series from (value, length) segments. */
function fromSegments(segs: ReadonlyArray<readonly [number, number]>): number[] {
  return segs.flatMap(([v, n]) => new Array<number>(n).fill(v));
}

const segment = (value: fc.Arbitrary<number>): fc.Arbitrary<[number, number]> =>
  fc.tuple(value, fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 60 })));

/** Numbers with non-exact binary fractions (so sums and averages round) and unknown stretches. */
const numberValue = fc.constantFrom(NaN, NaN, 0, 1, -2.5, 0.1, 0.7, 3.3, 100, 1e-3, -7);
const boolValue = fc.constantFrom(0, 1, NaN);

function expectAgree(make: () => Driven, xs: readonly number[], mustSkip: boolean): void {
  const r = compareLazy(make, xs);
  expect(r.problems).toEqual([]);
  if (mustSkip) expect(r.evaluated.length).toBeLessThan(xs.length);
}

describe('windows: event mode equals poll mode', () => {
  // Still stretches (much longer than the window), single-tick blips, unknown stretches, and
  // values whose sums do not round exactly.
  const numeric = piecewise(260, [
    [0, 5], [40, 7], [43, NaN], [70, 7], [100, 0.1], [130, 0.7], [131, 0.1], [160, NaN], [161, 3.3],
    [200, -2.5], [202, 1e-3], [240, 100],
  ]);
  const boolean = piecewise(200, [[0, 0], [30, 1], [33, 0], [60, NaN], [90, 1], [140, 0], [141, 1], [170, NaN], [171, 1]]);
  // Starts with a value whose average over n samples is not exactly the value (0.1 * 3 / 3).
  const fillUp = piecewise(80, [[0, 0.1], [40, 0.7]]);

  for (const kind of WINDOW_KINDS) {
    for (const W of [1, 2, 3, 10, 25]) {
      it(`${kind}, window ${W} ticks, still stretches and blips`, () => {
        expectAgree(() => makeWindow(kind, W), kind === 'count' ? boolean : numeric, true);
      });
    }
    if (kind !== 'count') {
      it(`${kind}: a window filling up with a constant value`, () => {
        for (const W of [3, 6, 10, 30]) expectAgree(() => makeWindow(kind, W), fillUp, false);
      });
    }
  }

  it.each(WINDOW_KINDS)('%s: random piecewise-constant inputs with unknown stretches (property)', (kind: WindowKind) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(segment(kind === 'count' ? boolValue : numberValue), { minLength: 1, maxLength: 25 }),
        (W, segs) => {
          const r = compareLazy(() => makeWindow(kind, W), fromSegments(segs));
          if (r.problems.length > 0) throw new Error(r.problems.join('\n'));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('held / within / rose / fell / changed: event mode equals poll mode', () => {
  const c = piecewise(300, [
    [0, 0], [10, 1], [60, 0], [61, 1], [65, NaN], [90, 1], [95, 0], [140, 1], [141, 0], [200, NaN], [230, 0], [260, 1],
  ]);

  it.each([0, 1, 3, 10, 20, 45])('held, %i ticks', (ticks) => {
    expectAgree(() => simple(new HeldOp(ticks)), c, true);
  });

  it.each([0, 1, 3, 10, 20, 45])('within, %i ticks', (ticks) => {
    expectAgree(() => simple(new WithinOp(ticks)), c, true);
  });

  it('within: a long true stretch then false (the last true tick was skipped)', () => {
    // c true for ticks 10..20, false after: within(c, 5 ticks) is true up to tick 25.
    const xs = piecewise(40, [[0, 0], [10, 1], [21, 0]]);
    const r = compareLazy(() => simple(new WithinOp(5)), xs);
    expect(r.poll.slice(19, 28)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(r.problems).toEqual([]);
  });

  it('rose / fell / changed', () => {
    for (const skip of [false, true]) {
      expectAgree(() => edge(new RoseOp(skip)), c, true);
      expectAgree(() => edge(new FellOp(skip)), c, true);
    }
    expectAgree(() => edge(new ChangedOp(false)), c, true);
  });

  it('random boolean inputs with unknown stretches (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.array(segment(boolValue), { minLength: 1, maxLength: 25 }),
        (ticks, segs) => {
          const xs = fromSegments(segs);
          const makers: Array<[string, () => Driven]> = [
            ['held', () => simple(new HeldOp(ticks))],
            ['within', () => simple(new WithinOp(ticks))],
            ['rose', () => edge(new RoseOp(false))],
            ['fell', () => edge(new FellOp(false))],
            ['changed', () => edge(new ChangedOp(false))],
          ];
          for (const [name, make] of makers) {
            const r = compareLazy(make, xs);
            if (r.problems.length > 0) throw new Error(`${name}(${ticks}):\n${r.problems.join('\n')}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
