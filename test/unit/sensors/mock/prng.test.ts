import { describe, expect, it } from 'vitest';
import { Prng, seedFor } from '../../../../src/sensors/mock/prng.js';
import { jsonRoundTrip } from '../../../helpers/json-round-trip.js';

function draws(rng: Prng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

/** sfc32 as published (PractRand), written independently of the implementation under test. */
function referenceSfc32(state: [number, number, number, number], n: number): number[] {
  let [a, b, c, d] = state;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    // bryc's transcription of PractRand's sfc32.
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    out.push(t >>> 0);
  }
  return out;
}

describe('Prng', () => {
  it('is sfc32: from a given state it produces the reference sequence', () => {
    const rng = new Prng(0);
    const states: Array<[number, number, number, number]> = [
      [1, 2, 3, 4],
      [0xdeadbeef, 0xcafebabe, 0x8badf00d, 0xffffffff],
      [0, 0, 0, 1],
    ];
    for (const state of states) {
      rng.restore(state);
      expect(draws(rng, 50)).toEqual(referenceSfc32(state, 50));
    }
  });

  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    expect(draws(new Prng(42), 20)).toEqual(draws(new Prng(42), 20));
    expect(draws(new Prng(42), 20)).not.toEqual(draws(new Prng(43), 20));
    // Seeds are taken modulo 2^32.
    expect(draws(new Prng(-1), 5)).toEqual(draws(new Prng(0xffffffff), 5));
  });

  it('keeps its sequence stable across versions (pinned values)', () => {
    const rng = new Prng(1);
    const first = draws(rng, 3);
    expect(first).toEqual(PINNED_SEED_1);
  });

  it('next() is in [0, 1) and uses the full 32 bits', () => {
    const rng = new Prng(7);
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
    }
    rng.restore([1, 2, 3, 4]);
    const [x] = referenceSfc32([1, 2, 3, 4], 1);
    expect(rng.next()).toBe((x as number) / 4294967296);
  });

  it('snapshot mid-way and restore into a fresh instance continues identically', () => {
    const a = new Prng(99);
    draws(a, 17);
    const snap = jsonRoundTrip(a.snapshot()) as unknown;
    const b = new Prng(12345);
    b.restore(snap);
    expect(draws(b, 30)).toEqual(draws(a, 30));
  });

  it('restore rejects malformed state', () => {
    const rng = new Prng(1);
    for (const bad of [null, {}, [1, 2, 3], [1, 2, 3, -1], [1, 2, 3, 2 ** 32], [1, 2, 3, 1.5], ['1', 2, 3, 4]]) {
      expect(() => rng.restore(bad)).toThrow(/invalid PRNG snapshot/);
    }
  });
});

describe('seedFor', () => {
  it('is deterministic and an unsigned 32-bit integer', () => {
    const s = seedFor(42, 'lobby_temp');
    expect(seedFor(42, 'lobby_temp')).toBe(s);
    expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
  });

  it('differs by sensor id and by global seed, including high bits and sign', () => {
    const seeds = new Set([
      seedFor(42, 'a'),
      seedFor(42, 'b'),
      seedFor(42, 'ab'),
      seedFor(42, 'ba'),
      seedFor(42, ''),
      seedFor(43, 'a'),
      seedFor(42 + 2 ** 32, 'a'),
      seedFor(-42, 'a'),
      seedFor(42, 'é'),
      seedFor(42, '😀'),
    ]);
    expect(seeds.size).toBe(10);
  });

  it('is FNV-1a over the seed (8 bytes, little-endian) and the UTF-8 id, then fmix32', () => {
    const reference = (seed: number, id: string): number => {
      const bytes = [...new Uint8Array(new BigUint64Array([BigInt.asUintN(64, BigInt(seed))]).buffer)];
      bytes.push(...new TextEncoder().encode(id));
      let h = 0x811c9dc5;
      for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    const cases: Array<[number, string]> = [
      [0, ''], [42, 'lobby_temp'], [-7, 'x'], [2 ** 40 + 5, 'caf\u00e9'], [1, '\u20ac'], [3, 'a\u{1F600}b'],
    ];
    for (const [seed, id] of cases) expect(seedFor(seed, id)).toBe(reference(seed, id));
  });

  it('rejects seeds that are not safe integers', () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 53]) expect(() => seedFor(bad, 'x')).toThrow(RangeError);
  });
});

const PINNED_SEED_1 = [3315219847, 3154754164, 4172860882];
