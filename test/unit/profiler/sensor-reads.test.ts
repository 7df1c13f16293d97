import { describe, expect, it } from 'vitest';
import { ReadStatus } from '../../../src/core/frame.js';
import { SensorReads } from '../../../src/profiler/sensor-reads.js';

describe('SensorReads.countWatched', () => {
  it.each([1, 3, 4, 5, 8, 9, 13])('counts timeouts and errors (garbage included) of %i sensors, wherever they sit', (n) => {
    const reads = new SensorReads(n);
    const status = new Uint8Array(n);
    reads.watch(status);
    const want = { timeouts: new Array<number>(n).fill(0), errors: new Array<number>(n).fill(0) };
    for (let tick = 0; tick < 3 * n; tick++) {
      status.fill(ReadStatus.Ok);
      const i = tick % n;
      const kind = tick % 3;
      status[i] = kind === 0 ? ReadStatus.Timeout : kind === 1 ? ReadStatus.Error : ReadStatus.Garbage;
      if (kind === 0) want.timeouts[i] = (want.timeouts[i] ?? 0) + 1;
      else want.errors[i] = (want.errors[i] ?? 0) + 1;
      if (n > 1) status[(i + 1) % n] = ReadStatus.None;
      reads.countWatched();
    }
    expect(Array.from(reads.timeouts)).toEqual(want.timeouts);
    expect(Array.from(reads.errors)).toEqual(want.errors);
    expect(reads.summaries().every((s) => s.reads === null && s.latency === null)).toBe(true);
  });

  it('scans a status array that does not start on a word boundary', () => {
    const backing = new Uint8Array(9);
    const status = backing.subarray(1, 8);
    status[6] = ReadStatus.Timeout;
    const reads = new SensorReads(7);
    reads.watch(status);
    reads.countWatched();
    expect(Array.from(reads.timeouts)).toEqual([0, 0, 0, 0, 0, 0, 1]);
  });
});
