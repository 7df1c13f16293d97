import { describe, expect, it } from 'vitest';
import type { FilterModel } from '../../../../src/config/model.js';
import { createFilter } from '../../../../src/sensors/filters/create-filter.js';
import { CalibrateLinearFilter } from '../../../../src/sensors/filters/calibrate-linear-filter.js';
import { ClampFilter } from '../../../../src/sensors/filters/clamp-filter.js';
import { DeltaFilter } from '../../../../src/sensors/filters/delta-filter.js';
import { ExponentialMovingAverageFilter } from '../../../../src/sensors/filters/exponential-moving-average-filter.js';
import { MedianFilter } from '../../../../src/sensors/filters/median-filter.js';
import { MovingAverageFilter } from '../../../../src/sensors/filters/moving-average-filter.js';
import { ThrottleFilter } from '../../../../src/sensors/filters/throttle-filter.js';
import { TimeoutFilter } from '../../../../src/sensors/filters/timeout-filter.js';
import { type FilterInput, runFilter } from './run-filter.js';

const S = 1_000_000;

const models: Array<[FilterModel, new (...args: never[]) => object]> = [
  [{ kind: 'moving_average', samples: 5, windowUs: undefined }, MovingAverageFilter],
  [{ kind: 'moving_average', samples: undefined, windowUs: 3 * S }, MovingAverageFilter],
  [{ kind: 'moving_average', samples: 4, windowUs: 2 * S }, MovingAverageFilter],
  [{ kind: 'exponential_moving_average', alpha: 0.3 }, ExponentialMovingAverageFilter],
  [{ kind: 'median', samples: 4, windowUs: undefined }, MedianFilter],
  [{ kind: 'median', samples: undefined, windowUs: 3 * S }, MedianFilter],
  [{ kind: 'clamp', min: 0.2, max: 0.8 }, ClampFilter],
  [{ kind: 'calibrate_linear', slope: 1.8, offset: 32 }, CalibrateLinearFilter],
  [{ kind: 'delta', minChange: 0.25 }, DeltaFilter],
  [{ kind: 'throttle', intervalUs: 1_500_000 }, ThrottleFilter],
  [{ kind: 'timeout', afterUs: 2 * S, value: undefined }, TimeoutFilter],
  [{ kind: 'timeout', afterUs: 1 * S, value: 0 }, TimeoutFilter],
];

/** 150 inputs at 10 Hz: readings with irregular values, runs of idle ticks and longer gaps. */
function inputs(): FilterInput[] {
  let x = 987654321;
  const out: FilterInput[] = [];
  for (let i = 0; i < 150; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const tUs = i * 100_000;
    const idle = (i >= 40 && i < 70) || x % 5 === 0;
    out.push(idle ? ['idle', tUs] : [(x % 1000) / 1000, tUs]);
  }
  return out;
}

describe('createFilter', () => {
  it.each(models.map(([m, cls]) => [m.kind, m, cls] as const))('builds %s', (_kind, model, cls) => {
    expect(createFilter(model)).toBeInstanceOf(cls);
  });

  it('passes parameters through', () => {
    expect(createFilter({ kind: 'calibrate_linear', slope: 2, offset: 1 }).push(3, 0)).toBe(7);
    expect(createFilter({ kind: 'clamp', min: 0, max: 1 }).push(5, 0)).toBe(1);
    expect(() => createFilter({ kind: 'exponential_moving_average', alpha: 0 })).toThrow(/alpha/);
  });
});

describe('filter snapshot/restore', () => {
  const input = inputs();

  it.each(models.map(([m]) => [JSON.stringify(m), m] as const))(
    '%s: restoring at any point into a fresh filter continues identically',
    (_name, model) => {
      const expected = runFilter(createFilter(model), input);
      // The table has to exercise the filter: at least two distinct outputs.
      expect(new Set(expected.filter((v) => v !== undefined)).size).toBeGreaterThan(1);
      for (let cut = 0; cut <= input.length; cut += 7) {
        const before = createFilter(model);
        runFilter(before, input.slice(0, cut));
        const snap = before.snapshot();
        const json = JSON.parse(JSON.stringify(snap)) as unknown;
        expect(json).toEqual(snap); // plain JSON: survives a round trip unchanged
        const after = createFilter(model);
        after.restore(json);
        expect(runFilter(after, input.slice(cut))).toEqual(expected.slice(cut));
      }
    },
  );

  it.each<[FilterModel, unknown]>([
    [{ kind: 'moving_average', samples: 2, windowUs: undefined }, { window: { values: [1, 2, 3], timesUs: [0, 1, 2] } }],
    [{ kind: 'moving_average', samples: 2, windowUs: undefined }, { window: { values: [1], timesUs: [] } }],
    [{ kind: 'median', samples: 2, windowUs: undefined }, null],
    [{ kind: 'exponential_moving_average', alpha: 0.5 }, { average: 'x' }],
    [{ kind: 'delta', minChange: 1 }, {}],
    [{ kind: 'throttle', intervalUs: 1 }, []],
    [{ kind: 'timeout', afterUs: 1, value: undefined }, { lastPushUs: 0 }],
  ])('%j rejects the snapshot %j', (model, bad) => {
    expect(() => createFilter(model).restore(bad)).toThrow(/invalid/);
  });
});
