/** rose / fell / changed / hysteresis (SPEC §4.3, §4.5 initial: fire | skip), tick by tick. */
import { describe, expect, it } from 'vitest';
import { ChangedOp, ChangedRefOp, FellOp, RoseOp } from '../../../src/conditions/edge-ops.js';
import { HysteresisOp } from '../../../src/conditions/hysteresis-op.js';
import { bits, showBits } from './helpers.js';

function run(op: { eval(v: number): number }, xs: readonly number[]): number[] {
  return xs.map((x) => op.eval(x));
}

describe('rose(c) / fell(c)', () => {
  const cases: Array<{ name: string; op: 'rose' | 'fell'; skipFirst: boolean; c: string; out: string }> = [
    { name: 'rose, initial fire: a true at tick 0 rises', op: 'rose', skipFirst: false, c: '1100110?1?', out: '1000100010' },
    { name: 'rose, initial skip: no rise at tick 0', op: 'rose', skipFirst: true, c: '1100110?1?', out: '0000100010' },
    { name: 'rose, initial skip: a rise at tick 1 still counts', op: 'rose', skipFirst: true, c: '01', out: '01' },
    { name: 'rose: unknown -> true is a rise', op: 'rose', skipFirst: false, c: '??1??1', out: '001001' },
    { name: 'rose: true -> unknown -> true rises again', op: 'rose', skipFirst: false, c: '01?1', out: '0101' },
    { name: 'rose: unknown at tick 0 is not a rise', op: 'rose', skipFirst: false, c: '?0', out: '00' },
    { name: 'fell, initial fire: false at tick 0 does not fall', op: 'fell', skipFirst: false, c: '0011', out: '0000' },
    { name: 'fell: true -> false and true -> unknown fall', op: 'fell', skipFirst: false, c: '1100110?1?', out: '0010001001' },
    { name: 'fell, initial skip', op: 'fell', skipFirst: true, c: '1100110?1?', out: '0010001001' },
    { name: 'fell: unknown -> false is not a fall', op: 'fell', skipFirst: false, c: '1?0?', out: '0100' },
  ];

  it.each(cases)('$name', ({ op, skipFirst, c, out }) => {
    const o = op === 'rose' ? new RoseOp(skipFirst) : new FellOp(skipFirst);
    expect(showBits(run(o, bits(c)))).toBe(showBits(bits(out)));
  });

  it('nextDue asks for the next tick after a true output only', () => {
    const op = new RoseOp(false);
    op.eval(0);
    expect(op.nextDue(0)).toBe(Infinity);
    expect(op.eval(1)).toBe(1);
    expect(op.nextDue(1)).toBe(2);
    expect(op.eval(1)).toBe(0);
    expect(op.nextDue(2)).toBe(Infinity);
  });

  it('reset returns to the cold-start baseline', () => {
    const op = new RoseOp(false);
    op.eval(1);
    op.reset();
    expect(op.eval(1)).toBe(1);
    const skip = new RoseOp(true);
    skip.eval(0);
    skip.reset();
    expect(skip.eval(1)).toBe(0);
  });
});

describe('changed(x)', () => {
  const cases: Array<{ name: string; skipFirst: boolean; x: number[]; out: number[] }> = [
    { name: 'the first evaluation is never a change', skipFirst: false, x: [5, 5, 6], out: [0, 0, 1] },
    { name: 'the first evaluation is never a change (initial skip)', skipFirst: true, x: [5, 5, 6], out: [0, 0, 1] },
    { name: 'an unknown first value is not a change', skipFirst: false, x: [NaN, NaN, 1], out: [0, 0, 1] },
    { name: 'NaN -> NaN is not a change; known <-> unknown is', skipFirst: false, x: [5, 5, NaN, NaN, 5, 6, 6, NaN], out: [0, 0, 1, 0, 1, 1, 0, 1] },
    { name: 'numbers', skipFirst: false, x: [0, 0.1, 0.1, -3, 1e9], out: [0, 1, 0, 1, 1] },
  ];

  it.each(cases)('$name', ({ skipFirst, x, out }) => {
    expect(run(new ChangedOp(skipFirst), x)).toEqual(out);
  });

  it('ChangedRefOp compares strings and JSON values by content', () => {
    const op = new ChangedRefOp();
    const xs: unknown[] = ['a', 'a', 'b', { x: 1 }, { x: 1 }, { x: 2 }, undefined, undefined, [1, 2], [1, 2], [2, 1]];
    expect(xs.map((x) => op.eval(x))).toEqual([0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1]);
  });
});

describe('hysteresis(x, low, high)', () => {
  it('becomes true at >= high, false at <= low, keeps its value in between; unknown keeps the state', () => {
    const op = new HysteresisOp();
    const x = [15, 20, 15, 10, 15, NaN, 15, 25, NaN, 15, 5, 19.999];
    const out = [0, 1, 1, 0, 0, NaN, 0, 1, NaN, 1, 0, 0];
    expect(x.map((v) => op.eval(v, 10, 20))).toEqual(out);
  });

  it('unknown thresholds give unknown', () => {
    const op = new HysteresisOp();
    expect(op.eval(30, 10, 20)).toBe(1);
    expect(op.eval(15, NaN, 20)).toBeNaN();
    expect(op.eval(15, 10, NaN)).toBeNaN();
    expect(op.eval(15, 10, 20)).toBe(1);
    expect(op.nextDue()).toBe(Infinity);
  });
});
