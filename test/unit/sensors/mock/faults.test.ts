import { describe, expect, it } from 'vitest';
import { FaultSchedule } from '../../../../src/sensors/mock/faults.js';
import { sampleTime } from '../../../../src/sensors/mock/sample-time.js';

describe('FaultSchedule', () => {
  const schedule = new FaultSchedule([
    { atUs: 1_000, forUs: 500, mode: 'timeout' },
    { atUs: 1_200, forUs: 1_000, mode: 'nan' }, // overlaps the first: the first wins while active
    { atUs: 1_500, forUs: 100, mode: 'error' }, // hidden entirely by the second
    { atUs: 5_000, forUs: 0, mode: 'error' }, // empty window: never active
  ]);

  it.each([
    [0, undefined],
    [999, undefined],
    [1_000, 'timeout'], // start inclusive
    [1_200, 'timeout'],
    [1_499, 'timeout'],
    [1_500, 'nan'], // first ends (exclusive); second still active and declared before the third
    [1_599, 'nan'],
    [2_199, 'nan'],
    [2_200, undefined], // end exclusive
    [5_000, undefined],
  ])('at %i us the mode is %s', (t, mode) => {
    expect(schedule.modeAt(sampleTime(t))).toBe(mode);
  });

  it('has no faults when none are declared', () => {
    expect(new FaultSchedule([]).modeAt(sampleTime(0))).toBeUndefined();
  });

  it('back-to-back faults do not overlap', () => {
    const s = new FaultSchedule([
      { atUs: 0, forUs: 10, mode: 'error' },
      { atUs: 10, forUs: 10, mode: 'timeout' },
    ]);
    expect([0, 9, 10, 19, 20].map((t) => s.modeAt(sampleTime(t)))).toEqual(['error', 'error', 'timeout', 'timeout', undefined]);
  });
});
