import { describe, expect, it } from 'vitest';
import { ConstantSignal } from '../../../../src/sensors/mock/constant-signal.js';
import { RandomWalkSignal } from '../../../../src/sensors/mock/random-walk-signal.js';
import { SineSignal } from '../../../../src/sensors/mock/sine-signal.js';
import { SquareSignal } from '../../../../src/sensors/mock/square-signal.js';
import { StepsSignal } from '../../../../src/sensors/mock/steps-signal.js';
import { seedFor } from '../../../../src/sensors/mock/prng.js';
import type { Signal } from '../../../../src/sensors/mock/signal.js';
import { jsonRoundTrip } from '../../../helpers/json-round-trip.js';

const S = 1_000_000;

describe('ConstantSignal', () => {
  it.each([[21.5], [true], ['open'], [{ cells: [[0, 1]] }], [null]])('returns %j at every time', (v) => {
    const s: Signal = new ConstantSignal(v);
    for (const t of [0, 1, 10 * S, 86_400 * S]) expect(s.valueAt(t)).toEqual(v);
  });
});

describe('StepsSignal', () => {
  const s = new StepsSignal([
    [1 * S, 10],
    [3 * S, 20],
    [3 * S, 25], // same instant: the later step wins
    [5 * S, 30],
  ]);
  it.each([
    [0, NaN],
    [1 * S - 1, NaN],
    [1 * S, 10],
    [2 * S, 10],
    [3 * S - 1, 10],
    [3 * S, 25],
    [5 * S - 1, 25],
    [5 * S, 30],
    [1000 * S, 30],
  ])('at %i us is %d', (t, v) => {
    expect(s.valueAt(t)).toBe(v);
  });

  it('holds booleans and strings, NaN before the first step', () => {
    const b = new StepsSignal([[0, false], [2, true], [4, 'x']]);
    expect([-1, 0, 1, 2, 3, 4, 5].map((t) => b.valueAt(t))).toEqual([NaN, false, false, true, true, 'x', 'x']);
  });

  it('is NaN at all times without steps', () => {
    expect(new StepsSignal([]).valueAt(5)).toBe(NaN);
  });

  it('rejects unsorted steps', () => {
    expect(() => new StepsSignal([[2, 1], [1, 2]])).toThrow(/sorted by time: steps\[1\]/);
  });
});

describe('SineSignal', () => {
  const periodUs = 4 * S;
  const s = new SineSignal(22, 3, periodUs, 0);
  it.each([
    [0, 22],
    [1 * S, 25],
    [2 * S, 22],
    [3 * S, 19],
    [4 * S, 22],
    // A day in: reduced modulo the period in integers, so just as exact.
    [86_400 * S + 1 * S, 25],
    [86_400 * S + 3 * S, 19],
  ])('at %i us is %d', (t, v) => {
    expect(Math.abs(s.valueAt(t) - v)).toBeLessThan(1e-12);
  });

  it('shifts by phase (positive and negative)', () => {
    const ahead = new SineSignal(0, 1, periodUs, 1 * S);
    const behind = new SineSignal(0, 1, periodUs, -1 * S);
    expect(Math.abs(ahead.valueAt(0) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(behind.valueAt(0) + 1)).toBeLessThan(1e-12);
    expect(Math.abs(ahead.valueAt(S / 2) - Math.sin((3 * Math.PI) / 4))).toBeLessThan(1e-12);
  });

  it('rejects a period that is not a positive integer', () => {
    for (const p of [0, -1, 1.5, NaN]) expect(() => new SineSignal(0, 1, p, 0)).toThrow(/period/);
  });
});

describe('SquareSignal', () => {
  it.each([
    // [duty, t, expected] with low 0, high 1, period 1 s
    [0.5, 0, 1],
    [0.5, 499_999, 1],
    [0.5, 500_000, 0],
    [0.5, 999_999, 0],
    [0.5, 1_000_000, 1],
    [0.5, 7_500_000, 0],
    [0.3, 299_999, 1],
    [0.3, 300_000, 0],
    [0.7, 699_999, 1],
    [0.7, 700_000, 0],
    [0, 0, 0],
    [1, 999_999, 1],
    [0.1234567891, 123_456, 1], // rounded to 123457 µs high
    [0.1234567891, 123_457, 0],
  ])('duty %d at %i us is %d', (duty, t, v) => {
    expect(new SquareSignal(0, 1, S, duty).valueAt(t)).toBe(v);
  });

  it('uses low and high as given', () => {
    const s = new SquareSignal(-5, 12.5, 100_000, 0.25);
    expect([0, 24_999, 25_000, 99_999, 100_000].map((t) => s.valueAt(t))).toEqual([12.5, 12.5, -5, -5, 12.5]);
  });

  it('rejects a bad period or duty', () => {
    expect(() => new SquareSignal(0, 1, 0, 0.5)).toThrow(/period/);
    expect(() => new SquareSignal(0, 1, S, 1.5)).toThrow(/duty/);
    expect(() => new SquareSignal(0, 1, S, -0.1)).toThrow(/duty/);
  });
});

describe('RandomWalkSignal', () => {
  const walk = (id: string, seed = 42, n = 200): number[] => {
    const s: Signal = new RandomWalkSignal(20, 0.5, 19, 21, seedFor(seed, id));
    return Array.from({ length: n }, (_, i) => s.valueAt(i * 100_000) as number);
  };

  it('starts at start, then moves by at most step per call', () => {
    const seq = walk('a');
    expect(seq[0]).toBe(20);
    for (let i = 1; i < seq.length; i++) expect(Math.abs((seq[i] as number) - (seq[i - 1] as number))).toBeLessThanOrEqual(0.5);
    expect(new Set(seq).size).toBeGreaterThan(100);
  });

  it('is deterministic for a seed and sensor id, and differs by id and by seed', () => {
    expect(walk('a')).toEqual(walk('a'));
    expect(walk('a')).not.toEqual(walk('b'));
    expect(walk('a', 42)).not.toEqual(walk('a', 43));
  });

  it('stays clamped within [min, max] and reaches the bounds', () => {
    const s: Signal = new RandomWalkSignal(0, 10, -1, 1, seedFor(1, 'x'));
    const seq = Array.from({ length: 500 }, (_, i) => s.valueAt(i) as number);
    for (const v of seq) expect(v >= -1 && v <= 1).toBe(true);
    expect(seq).toContain(1);
    expect(seq).toContain(-1);
  });

  it('advances per call, not per unit of time', () => {
    const a: Signal = new RandomWalkSignal(0, 1, -100, 100, 7);
    const b: Signal = new RandomWalkSignal(0, 1, -100, 100, 7);
    const seqA = [0, 1, 2, 3].map((i) => a.valueAt(i));
    const seqB = [0, 10 * S, 11 * S, 500 * S].map((t) => b.valueAt(t));
    expect(seqB).toEqual(seqA);
  });

  it('snapshot mid-way then restore into a fresh instance continues identically', () => {
    for (const cut of [0, 1, 57]) {
      const a: Signal = new RandomWalkSignal(20, 0.5, 19, 21, 99);
      for (let i = 0; i < cut; i++) a.valueAt(i);
      const snap = jsonRoundTrip(a.snapshot()) as unknown;
      const b: Signal = new RandomWalkSignal(20, 0.5, 19, 21, 12345);
      b.restore(snap);
      const rest = (s: Signal): unknown[] => Array.from({ length: 50 }, (_, i) => s.valueAt(cut + i));
      expect(rest(b)).toEqual(rest(a));
    }
  });

  it('rejects bad parameters and snapshots', () => {
    expect(() => new RandomWalkSignal(0, 1, 2, 1, 0)).toThrow(/min/);
    expect(() => new RandomWalkSignal(0, -1, -1, 1, 0)).toThrow(/step/);
    expect(() => new RandomWalkSignal(5, 1, -1, 1, 0)).toThrow(/start/);
    const s = new RandomWalkSignal(0, 1, -1, 1, 0);
    expect(() => s.restore({ value: 1 })).toThrow(/random_walk/);
    expect(() => s.restore({ value: 1, started: true, rng: [1] })).toThrow(/PRNG/);
  });
});
