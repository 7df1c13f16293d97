import { describe, expect, it } from 'vitest';
import { SeriesBuffer } from '../../../src/conditions/series-buffer.js';
import { jsonRoundTrip } from '../../helpers/json-round-trip.js';

/** SeriesBuffer snapshots are copy-on-write: taken for free on the tick, exact when serialized later. */
describe('SeriesBuffer snapshot (copy on write)', () => {
  const filled = (capacity: number, ticks: number): SeriesBuffer => {
    const b = new SeriesBuffer(capacity);
    for (let k = 0; k < ticks; k++) b.record(k, k * 10);
    return b;
  };
  const ticks = (from: number, n: number, f: (k: number) => number = (k) => k): number[] => Array.from({ length: n }, (_, i) => f(from + i));

  it('serialized later, it holds the values as they were when it was taken, even after the ring wrapped', () => {
    const b = filled(8, 20);
    const snap = b.snapshot();
    const expected = { lastTick: 19, origin: 0, runs: 20, recent: ticks(0, 20).slice(-20), lastKnown: 19, values: Float64Array.from(ticks(12, 8, (k) => k * 10)) };
    for (let k = 20; k < 40; k++) b.record(k, k * 10);
    expect(jsonRoundTrip(snap)).toEqual(jsonRoundTrip(expected));
    const restored = new SeriesBuffer(8);
    restored.restore(snap);
    expect(restored.snapshot()).toMatchObject({ runs: 20, lastTick: 19 });
    expect(jsonRoundTrip(restored.snapshot())).toEqual(jsonRoundTrip(expected));
  });

  it('a newer snapshot leaves an older one intact', () => {
    const b = filled(4, 6);
    const older = b.snapshot();
    b.record(6, 60);
    const newer = b.snapshot();
    for (let k = 7; k < 12; k++) b.record(k, k * 10);
    expect(jsonRoundTrip<{ values: number[] }>(older).values).toEqual([20, 30, 40, 50]);
    expect(jsonRoundTrip<{ values: number[] }>(newer).values).toEqual([30, 40, 50, 60]);
  });

  it('a gap longer than the ring (event mode) copies the snapshot out before overwriting it', () => {
    const b = filled(4, 6);
    const snap = b.snapshot();
    b.record(20, 7);
    expect(jsonRoundTrip<{ values: number[] }>(snap).values).toEqual([20, 30, 40, 50]);
    // The skipped ticks held the last value: 50 up to tick 19, then 7.
    expect(jsonRoundTrip<{ values: number[] }>(b.snapshot()).values).toEqual([50, 50, 50, 7]);
  });

  it('keeps at most RECENT_RUNS run starts, and a steady series is one run', () => {
    const b = new SeriesBuffer(100);
    for (let k = 0; k < 50; k++) b.record(k, Math.floor(k / 10));
    const s = jsonRoundTrip<{ runs: number; recent: number[] }>(b.snapshot());
    expect(s.runs).toBe(5);
    expect(s.recent).toEqual([0, 10, 20, 30, 40]);
    expect(b.runStartAt(25)).toBe(20);
    expect(b.runStart).toBe(40);
  });

  it('restores from the JSON form with null for unknown', () => {
    const b = new SeriesBuffer(4);
    b.restore({ lastTick: 3, origin: 1, runs: 3, recent: [1, 2, 3], values: [1, null, 3] });
    const s = jsonRoundTrip<{ values: Array<number | null>; lastKnown: number }>(b.snapshot());
    expect(s.values).toEqual([1, null, 3]);
    expect(s.lastKnown).toBe(3);
  });

  it('restores the run form earlier versions wrote, tick by tick', () => {
    const b = new SeriesBuffer(5);
    b.restore({ count: 3, lastTick: 5, origin: 0, starts: [0, 2, 4], values: [1, null, 3] });
    const s = jsonRoundTrip<{ values: Array<number | null>; runs: number; recent: number[]; lastKnown: number }>(b.snapshot());
    expect(s.values).toEqual([1, null, null, 3, 3]);
    expect(s.runs).toBe(3);
    expect(s.recent).toEqual([0, 2, 4]);
    expect(s.lastKnown).toBe(5);
  });

  it('rejects a snapshot larger than its ring', () => {
    const b = new SeriesBuffer(2);
    expect(() => b.restore({ lastTick: 5, origin: 0, runs: 3, recent: [0, 2, 4], values: [1, 2, 3] })).toThrow(/malformed/);
  });
});
