import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Portable, crc32Range } from '../../../src/persistence/crc32.js';
import { segmentsToDelete } from '../../../src/persistence/journal/journal-retention.js';

describe('crc32', () => {
  it('the table version equals zlib (continuing too), short and long inputs', () => {
    for (const n of [0, 1, 7, 95, 96, 97, 1000, 70_000]) {
      const data = randomBytes(n);
      expect(crc32Portable(data)).toBe(crc32(data));
      expect(crc32Range(data, 0, n)).toBe(crc32(data));
      const half = Math.floor(n / 2);
      expect(crc32(data.subarray(half), crc32(data.subarray(0, half)))).toBe(crc32(data));
      const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
      if (native !== undefined) expect(crc32Portable(data)).toBe(native(data));
    }
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

describe('journal retention', () => {
  // 10 Hz; segments of 100 ticks, 1000 bytes each; the last one is being written.
  const segs = Array.from({ length: 10 }, (_, i) => ({ firstTick: i * 100, bytes: 1000 }));
  const firstTicks = (list: Array<{ firstTick: number }>): number[] => list.map((s) => s.firstTick);

  it('deletes only segments the checkpoint covers, never the last one', () => {
    expect(firstTicks(segmentsToDelete(segs, 450, 100_000, { durationUs: 0 }))).toEqual([0, 100, 200, 300]);
    expect(firstTicks(segmentsToDelete(segs, 399, 100_000, { durationUs: 0 }))).toEqual([0, 100, 200, 300]);
    expect(firstTicks(segmentsToDelete(segs, 398, 100_000, { durationUs: 0 }))).toEqual([0, 100, 200]);
    expect(firstTicks(segmentsToDelete(segs, 5000, 100_000, { durationUs: 0 }))).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800]);
  });

  it('keeps recent covered segments for replay, within the byte cap', () => {
    // 25 s of retention at 10 Hz = 250 ticks before tick 700: segments ending at 499, 599, 699.
    expect(firstTicks(segmentsToDelete(segs, 700, 100_000, { durationUs: 25e6, maxBytes: 1e9 }))).toEqual([0, 100, 200, 300]);
    expect(firstTicks(segmentsToDelete(segs, 700, 100_000, { durationUs: 25e6, maxBytes: 2000 }))).toEqual([0, 100, 200, 300, 400]);
    expect(firstTicks(segmentsToDelete(segs, 700, 100_000, {}))).toEqual([]);
  });
});
