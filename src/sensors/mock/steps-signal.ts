import type { JsonValue } from '../../config/model.js';
import type { Frame, ReadStatus } from '../../core/frame.js';
import { HeldValues } from './held-values.js';
import type { SampleTime } from './sample-time.js';
import type { Signal } from './signal.js';

/** A step's value: a number, boolean or string, or any JSON value for a json sensor. */
type StepValue = JsonValue;

/**
 * `steps: [[t, v], ...]`: holds each `v` from its time `t` (inclusive) until the next step.
 * Before the first step the value is unknown and `valueAt` returns `NaN`, whatever the steps'
 * value type, so the sensor has no reading yet. Steps at the same time: the later one wins.
 * Stateless (binary search per call).
 *
 * @throws Error when the steps are not sorted by time or a time is not finite.
 */
export class StepsSignal implements Signal {
  private readonly held: HeldValues;

  constructor(steps: ReadonlyArray<readonly [number, StepValue]>) {
    const timesUs = new Float64Array(steps.length);
    steps.forEach(([tUs], i) => {
      if (!Number.isFinite(tUs)) throw new Error(`steps[${i}]: time must be finite, got ${tUs}`);
      const prev = i > 0 ? timesUs[i - 1] : undefined;
      if (prev !== undefined && tUs < prev) {
        throw new Error(`steps must be sorted by time: steps[${i}] at ${tUs} us comes after steps[${i - 1}] at ${prev} us`);
      }
      timesUs[i] = tUs;
    });
    this.held = new HeldValues(timesUs, steps.map(([, v]) => v));
  }

  valueAt(tUs: number): StepValue {
    return this.held.valueAt(tUs);
  }

  writeTo(at: SampleTime, frame: Frame, index: number): ReadStatus {
    return this.held.writeTo(at, frame, index);
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}
