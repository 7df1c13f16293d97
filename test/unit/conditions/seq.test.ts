/** seq(e1, ..., en, D) (SPEC §4.3). Tick numbers as in the SPEC; D is given in ticks (ticksWithin). */
import { describe, expect, it } from 'vitest';
import { SeqOp } from '../../../src/conditions/seq-op.js';
import { ticksWithin } from '../../../src/conditions/temporal-op.js';
import { bits, P10_US, pulses, trueTicks } from './helpers.js';

/** Runs a seq over per-step input series; returns the ticks at which it is true. */
function runSeq(ticks: number, inputs: ReadonlyArray<readonly number[]>, sameAsLast?: readonly boolean[]): number[] {
  const n = inputs.length;
  // Steps flagged true share one expression (key 0); the others are distinct expressions.
  const keys = (sameAsLast ?? inputs.map((_, i) => i === n - 1)).map((same, i) => (same ? 0 : i + 1));
  const op = new SeqOp(n, ticks, keys);
  const len = Math.max(...inputs.map((s) => s.length));
  const out: number[] = [];
  for (let k = 0; k < len; k++) {
    inputs.forEach((s, i) => op.set(i, s[k] ?? 0));
    out.push(op.eval(k));
  }
  return trueTicks(out);
}

/** Steps given by the ticks at which each one rises (one-tick pulses). */
function seqOfRises(ticks: number, rises: ReadonlyArray<readonly number[]>, sameAsLast?: readonly boolean[]): number[] {
  const len = Math.max(...rises.flat()) + 3;
  return runSeq(ticks, rises.map((r) => pulses(len, r)), sameAsLast);
}

describe('seq(a, b, D)', () => {
  it('D is converted with ticksWithin: 1 s at 10 Hz is 10 ticks', () => {
    expect(ticksWithin(1_000_000, P10_US)).toBe(10);
  });

  const cases: Array<{ name: string; D: number; A: number[]; B: number[]; want: number[] }> = [
    { name: 'SPEC example: A@92, B@95, A@97 -> true at 95', D: 10, A: [92, 97], B: [95], want: [95] },
    { name: 'repeated starts keep the latest: A@90, A@92, B@101 matches (101-92 <= 10)', D: 10, A: [90, 92], B: [101], want: [101] },
    { name: 'only A@90: B@101 is too late (101-90 > 10)', D: 10, A: [90], B: [101], want: [] },
    { name: 'exactly D apart matches', D: 10, A: [0], B: [10], want: [10] },
    { name: 'D + 1 apart does not (expiry)', D: 10, A: [0], B: [11], want: [] },
    { name: 'A and B at the same tick do not match', D: 10, A: [5], B: [5], want: [] },
    { name: 'same tick, then B strictly later matches', D: 10, A: [5], B: [5, 7], want: [7] },
    { name: 'B before A does not match', D: 10, A: [5], B: [3], want: [] },
    { name: 'consumption: after A@1,B@2 matched, B@4 alone does not match', D: 10, A: [1], B: [2, 4], want: [2] },
    { name: 'consumption: a fresh A starts a new match', D: 10, A: [1, 5], B: [2, 4, 7], want: [2, 7] },
    { name: 'an A after the match completed is not consumed', D: 10, A: [0, 2], B: [2, 6], want: [2, 6] },
    { name: 'D = 0 never matches (strictly increasing ticks)', D: 0, A: [1, 5], B: [1, 3, 5, 7], want: [] },
    { name: 'a start that expired does not block a later one', D: 3, A: [0, 10], B: [5, 12], want: [12] },
  ];

  it.each(cases)('$name', ({ D, A, B, want }) => {
    expect(seqOfRises(D, [A, B])).toEqual(want);
  });

  it('steps occur on rises: a step held true does not occur again', () => {
    // A true from tick 1 on (one rise); B pulses at 3 and 5: only the first matches.
    const A = bits('0111111111');
    const B = bits('0001010000');
    expect(runSeq(10, [A, B])).toEqual([3]);
  });

  it('unknown -> true is a rise (step occurs)', () => {
    const A = bits('??1000000');
    const B = bits('000??1000');
    expect(runSeq(10, [A, B])).toEqual([5]);
  });

  it('nextDue asks for the tick after a match, so the output can fall back', () => {
    const op = new SeqOp(2, 10, [0, 1]);
    op.set(0, 1);
    op.set(1, 0);
    expect(op.eval(0)).toBe(0);
    expect(op.nextDue(0)).toBe(Infinity);
    op.set(1, 1);
    expect(op.eval(1)).toBe(1);
    expect(op.nextDue(1)).toBe(2);
    expect(op.eval(2)).toBe(0);
    expect(op.nextDue(2)).toBe(Infinity);
  });

  it('reset forgets partial matches', () => {
    const op = new SeqOp(2, 10, [0, 1]);
    op.set(0, 1);
    op.set(1, 0);
    op.eval(0);
    op.reset();
    op.set(0, 0);
    op.eval(1);
    op.set(1, 1);
    expect(op.eval(2)).toBe(0);
  });
});

describe('seq with three steps', () => {
  const cases: Array<{ name: string; D: number; rises: number[][]; want: number[] }> = [
    { name: 'A@1, B@3, C@5', D: 10, rises: [[1], [3], [5]], want: [5] },
    { name: 'out of order (A, C, B) does not match', D: 10, rises: [[1], [5], [3]], want: [] },
    { name: 'expiry measured from the first step: C@12 > A@1 + 10', D: 10, rises: [[1], [3], [12]], want: [] },
    { name: 'C exactly D after A matches', D: 10, rises: [[1], [3], [11]], want: [11] },
    { name: 'a newer start that also reached B is kept: A@4, B@6, C@12', D: 10, rises: [[1, 4], [3, 6], [12]], want: [12] },
    { name: 'a newer A without a B after it does not help', D: 10, rises: [[1, 4], [3], [12]], want: [] },
    { name: 'B and C at the same tick do not match', D: 10, rises: [[1], [3], [3]], want: [] },
    { name: 'B and C at the same tick, C again later matches', D: 10, rises: [[1], [3], [3, 5]], want: [5] },
    { name: 'an A that is not part of the match survives it', D: 10, rises: [[1, 4], [2, 6], [5, 8]], want: [5, 8] },
    { name: 'consumption: second match needs all three steps again', D: 20, rises: [[1], [2, 5], [3, 6]], want: [3] },
  ];

  it.each(cases)('$name', ({ D, rises, want }) => {
    expect(seqOfRises(D, rises)).toEqual(want);
  });
});

describe('seq with a repeated expression (sameAsLast)', () => {
  it('seq(A, A, D) matches pairs: rises at 1, 5, 8, 12 match at 5 and 12', () => {
    expect(seqOfRises(100, [[1, 5, 8, 12], [1, 5, 8, 12]], [true, true])).toEqual([5, 12]);
  });

  it('seq(A, A, 3): 1..5 is too far apart, 5..8 matches, 12 starts anew', () => {
    expect(seqOfRises(3, [[1, 5, 8, 12], [1, 5, 8, 12]], [true, true])).toEqual([8]);
  });

  it('seq(A, B, A): the A that completes a match does not start the next one', () => {
    const A = [1, 3, 5, 9];
    const B = [2, 7];
    // A@1 B@2 A@3 matches at 3; A@5 starts, B@7, A@9 matches at 9.
    expect(seqOfRises(100, [A, B, A], [true, false, true])).toEqual([3, 9]);
  });

  // Regression: an occurrence used as an intermediate step of a completed match must not survive
  // as the start of another partial match. SPEC "the occurrences of a completed match are
  // consumed": A@1,3,5 match at 5; A@7,9,11 at 11.
  it('seq(A, A, A): rises at 1, 3, 5, 7, 9, 11 match at 5 and 11 (consumed occurrences are not reused)', () => {
    const A = [1, 3, 5, 7, 9, 11];
    expect(seqOfRises(100, [A, A, A], [true, true, true])).toEqual([5, 11]);
  });
});
