import { describe, expect, it } from 'vitest';
import type { SignalModel } from '../../../../src/config/model.js';
import { createSignal } from '../../../../src/sensors/mock/create-signal.js';
import { PathsSignal } from '../../../../src/sensors/mock/paths-signal.js';

const S = 1_000_000;

describe('PathsSignal', () => {
  // b walks 1 s .. 3 s from (0, 0) to (10, 20), then back to (10, 0) by 5 s; a stands still at (7, 7)
  // at exactly 2 s (a one-waypoint path covers one instant).
  const s = new PathsSignal({
    b: [
      [1 * S, 0, 0],
      [3 * S, 10, 20],
      [5 * S, 10, 0],
    ],
    a: [[2 * S, 7, 7]],
  });

  it.each([
    ['before the first waypoint', 0, []],
    ['one µs before', 1 * S - 1, []],
    ['at the first waypoint', 1 * S, [{ id: 'b', x: 0, y: 0 }]],
    ['between, with a one-instant path', 2 * S, [{ id: 'a', x: 7, y: 7 }, { id: 'b', x: 5, y: 10 }]],
    ['a quarter of a segment', 1.5 * S, [{ id: 'b', x: 2.5, y: 5 }]],
    ['at a middle waypoint', 3 * S, [{ id: 'b', x: 10, y: 20 }]],
    ['in the second segment', 4 * S, [{ id: 'b', x: 10, y: 10 }]],
    ['at the last waypoint (inclusive)', 5 * S, [{ id: 'b', x: 10, y: 0 }]],
    ['one µs after the last', 5 * S + 1, []],
    ['long after', 100 * S, []],
  ])('%s (t = %i us)', (_what, t, expected) => {
    expect(s.valueAt(t)).toEqual(expected);
  });

  it('sorts records by id in code-unit order, whatever the key order', () => {
    const p = new PathsSignal({ zed: [[0, 0, 0]], '10': [[0, 1, 1]], B: [[0, 2, 2]], a: [[0, 3, 3]], '9': [[0, 4, 4]] });
    expect((p.valueAt(0) as Array<{ id: string }>).map((r) => r.id)).toEqual(['10', '9', 'B', 'a', 'zed']);
  });

  it('returns fresh records on every call', () => {
    const first = s.valueAt(2 * S) as Array<{ x: number }>;
    (first[0] as { x: number }).x = 99;
    expect(s.valueAt(2 * S)).toEqual([{ id: 'a', x: 7, y: 7 }, { id: 'b', x: 5, y: 10 }]);
  });

  it('is stateless', () => {
    expect(s.snapshot()).toBeNull();
    expect(s.valueAt(4 * S)).toEqual(s.valueAt(4 * S));
  });

  it.each<[string, Record<string, Array<[number, number, number]>>, string]>([
    ['equal times', { p: [[0, 0, 0], [1 * S, 1, 1], [1 * S, 2, 2]] }, 'paths.p: waypoint times must be strictly increasing: [2]'],
    ['decreasing times', { p: [[2 * S, 0, 0], [1 * S, 1, 1]] }, 'paths.p: waypoint times must be strictly increasing: [1]'],
    ['a non-finite coordinate', { p: [[0, NaN, 0]] }, 'paths.p[0]: t, x and y must be finite'],
    ['an empty path', { p: [] }, 'paths.p: a path needs at least one waypoint'],
  ])('refuses %s', (_what, paths, message) => {
    expect(() => new PathsSignal(paths)).toThrow(message);
  });

  it('is what createSignal builds for a paths model', () => {
    const model: SignalModel = { kind: 'paths', paths: { a: [[0, 0, 0], [2 * S, 4, 2]] } };
    expect(createSignal(model, { seed: 1, sensorId: 'tags', baseDir: '.' }).valueAt(1 * S)).toEqual([{ id: 'a', x: 2, y: 1 }]);
  });
});
