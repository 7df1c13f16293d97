import { describe, expect, it } from 'vitest';
import { Frame, ReadStatus } from '../../../../src/core/frame.js';
import { ConstantSignal } from '../../../../src/sensors/mock/constant-signal.js';
import { FaultSchedule } from '../../../../src/sensors/mock/faults.js';
import { MockSource } from '../../../../src/sensors/mock/mock-source.js';
import { RandomWalkSignal } from '../../../../src/sensors/mock/random-walk-signal.js';
import type { Signal } from '../../../../src/sensors/mock/signal.js';
import { StepsSignal } from '../../../../src/sensors/mock/steps-signal.js';
import { jsonRoundTrip } from '../../../helpers/json-round-trip.js';

const noFaults = new FaultSchedule([]);

describe('MockSource', () => {
  it.each([
    ['a number', 21.5, ReadStatus.Ok, 21.5, undefined],
    ['true', true, ReadStatus.Ok, 1, undefined],
    ['false', false, ReadStatus.Ok, 0, undefined],
    ['a string', 'open', ReadStatus.Ok, -1, 'open'],
    ['JSON', { cells: [1, 2] }, ReadStatus.Ok, -1, { cells: [1, 2] }],
    ['null', null, ReadStatus.Ok, -1, null],
  ])('writes %s into slot 1', (_name, value, status, num, obj) => {
    const frame = new Frame(3);
    frame.num[1] = -1;
    frame.error[1] = 'old failure';
    const src = new MockSource(new ConstantSignal(value), noFaults);
    expect(src.read(0, frame, 1)).toBe(status);
    expect(frame.status[1]).toBe(status);
    expect(frame.num[1]).toBe(num);
    expect(frame.obj[1]).toEqual(obj);
    expect(frame.error[1]).toBeUndefined();
    // Neighbouring slots are untouched.
    expect([frame.status[0], frame.status[2]]).toEqual([ReadStatus.None, ReadStatus.None]);
  });

  it('reports no reading (None) for NaN before the first step', () => {
    const frame = new Frame(1);
    frame.status[0] = ReadStatus.Ok;
    const src = new MockSource(new StepsSignal([[1_000, 5]]), noFaults);
    expect(src.read(999, frame, 0)).toBe(ReadStatus.None);
    expect(frame.status[0]).toBe(ReadStatus.None);
    expect(src.read(1_000, frame, 0)).toBe(ReadStatus.Ok);
    expect(frame.num[0]).toBe(5);
  });

  it('maps fault modes to statuses and error texts, within the fault window only', () => {
    const faults = new FaultSchedule([
      { atUs: 10, forUs: 10, mode: 'timeout' },
      { atUs: 20, forUs: 10, mode: 'error' },
      { atUs: 30, forUs: 10, mode: 'nan' },
    ]);
    const src = new MockSource(new ConstantSignal(7), faults);
    const frame = new Frame(1);
    const rows = [9, 10, 19, 20, 29, 30, 39, 40].map((t) => {
      const status = src.read(t, frame, 0);
      return [t, status, frame.status[0], frame.error[0]];
    });
    expect(rows).toEqual([
      [9, ReadStatus.Ok, ReadStatus.Ok, undefined],
      [10, ReadStatus.Timeout, ReadStatus.Timeout, 'mock fault: timeout'],
      [19, ReadStatus.Timeout, ReadStatus.Timeout, 'mock fault: timeout'],
      [20, ReadStatus.Error, ReadStatus.Error, 'mock fault: error'],
      [29, ReadStatus.Error, ReadStatus.Error, 'mock fault: error'],
      [30, ReadStatus.Garbage, ReadStatus.Garbage, 'returned NaN'],
      [39, ReadStatus.Garbage, ReadStatus.Garbage, 'returned NaN'],
      [40, ReadStatus.Ok, ReadStatus.Ok, undefined],
    ]);
  });

  it('does not advance a random walk during a fault', () => {
    const faulty = new MockSource(
      new RandomWalkSignal(0, 1, -10, 10, 5),
      new FaultSchedule([{ atUs: 2, forUs: 3, mode: 'error' }]),
    );
    const clean: Signal = new RandomWalkSignal(0, 1, -10, 10, 5);
    const frame = new Frame(1);
    const got: number[] = [];
    for (let t = 0; t < 10; t++) {
      if (faulty.read(t, frame, 0) === ReadStatus.Ok) got.push(frame.num[0] as number);
    }
    // 10 reads, 3 of them faulted: the 7 good ones are the walk's first 7 values.
    expect(got).toEqual(Array.from({ length: 7 }, (_, i) => clean.valueAt(i)));
  });

  it('snapshot/restore delegate to the signal', () => {
    const a = new MockSource(new RandomWalkSignal(0, 1, -10, 10, 5), noFaults);
    const frame = new Frame(1);
    for (let t = 0; t < 5; t++) a.read(t, frame, 0);
    const b = new MockSource(new RandomWalkSignal(0, 1, -10, 10, 6), noFaults);
    b.restore(jsonRoundTrip(a.snapshot()));
    const next = (s: MockSource): number[] =>
      [5, 6, 7].map((t) => {
        s.read(t, frame, 0);
        return frame.num[0] as number;
      });
    expect(next(b)).toEqual(next(a));
  });
});
