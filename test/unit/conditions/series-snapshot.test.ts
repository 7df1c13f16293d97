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

  it('serialized later, it holds the runs as they were when it was taken, even after the ring wrapped', () => {
    const b = filled(8, 20);
    const snap = b.snapshot();
    const expected = { count: 20, lastTick: 19, origin: 0, starts: Float64Array.from({ length: 8 }, (_, i) => 12 + i), values: Float64Array.from({ length: 8 }, (_, i) => (12 + i) * 10) };
    for (let k = 20; k < 40; k++) b.record(k, k * 10);
    expect(jsonRoundTrip(snap)).toEqual(jsonRoundTrip(expected));
    const restored = new SeriesBuffer(8);
    restored.restore(snap);
    expect(restored.snapshot()).toMatchObject({ count: 20, lastTick: 19 });
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

  it('restores from the JSON form with null for unknown', () => {
    const b = new SeriesBuffer(4);
    b.restore({ count: 3, lastTick: 5, origin: 0, starts: [0, 2, 4], values: [1, null, 3] });
    const s = jsonRoundTrip<{ values: Array<number | null> }>(b.snapshot());
    expect(s.values).toEqual([1, null, 3]);
  });
});
