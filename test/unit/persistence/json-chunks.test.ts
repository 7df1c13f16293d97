import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../../src/persistence/checkpoint/json-chunks.js';

const join = (v: unknown, depth?: number, batch?: number): string => [...jsonChunks(v, depth, batch)].join('');

describe('jsonChunks', () => {
  it('equals JSON.stringify on any JSON value, at any depth and batch size', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 64 }), (v, depth, batch) => {
        expect(join(v, depth, batch)).toBe(JSON.stringify(v));
      }),
      { numRuns: 500 },
    );
  });

  it('follows JSON.stringify on undefined, functions, non-finite numbers, toJSON and boxed values', () => {
    const v = {
      a: undefined,
      f: () => 1,
      n: NaN,
      i: -Infinity,
      d: new Date(0),
      arr: [undefined, () => 2, Symbol('s'), 1],
      boxed: [Object(1) as unknown, Object('s') as unknown, Object(true) as unknown],
      nested: { toJSON: (key: string) => `key=${key}` },
      map: new Map([[1, 2]]),
    };
    expect(join(v, 10, 1)).toBe(JSON.stringify(v));
  });

  it('writes typed arrays as arrays (non-finite as null), also when large', () => {
    expect(join({ f: Float64Array.of(1.5, NaN, -0, Infinity), u: Uint8Array.of(1, 2) })).toBe('{"f":[1.5,null,0,null],"u":[1,2]}');
    const big = new Float64Array(100_000).map((_, i) => i / 3);
    expect(JSON.parse(join([big], 8, 1000))).toEqual([Array.from(big)]);
  });

  it('breaks a large state into many pieces', () => {
    const state = { nodes: Array.from({ length: 1000 }, (_, i) => ({ ops: [{ t: i, runs: [[i, i * 2]] }] })) };
    expect([...jsonChunks(state)].length).toBeGreaterThan(1000);
  });
});
