import type { JsonValue } from '../../config/model.js';
import type { Frame, ReadStatus } from '../../core/frame.js';
import type { SampleTime } from './sample-time.js';

/**
 * A mock sensor's signal: the value a simulated sensor reads at a given time.
 *
 * Contract:
 * - `writeTo` (the sampler's path) or `valueAt` (tests, tools) is called once per sample, with the
 *   time (integer microseconds since the run began) non-decreasing from call to call. The two
 *   give the same value and advance the signal alike. Time-based signals are pure functions of
 *   the time; `random_walk` advances one step per call, so skipping calls (during a fault) pauses
 *   it.
 * - A numeric `NaN` means "no reading yet" (before the first row of `steps` or `csv`), whatever the
 *   signal's value type; {@link MockSource} turns it into `ReadStatus.None`.
 * - `snapshot()` returns plain JSON; `restore(snapshot())` on a fresh signal built from the same
 *   spec and options continues the same sequence.
 */
export interface Signal {
  /**
   * Value at time tUs: a number, boolean, string or JSON object/array (`JsonValue` covers all of
   * them).
   */
  valueAt(tUs: number): JsonValue;
  /**
   * Writes the value at `at[0]` into slot `index` of `frame` as {@link writeValue} does. Numeric
   * signals allocate nothing here: a double they computed would be boxed on the heap if returned
   * from a call V8 does not inline, and this runs for every sensor on every tick (for the time in
   * a Float64Array, see {@link SampleTime}).
   *
   * @returns `Ok`, or `None` (nothing written) where `valueAt` would return `NaN`.
   */
  writeTo(at: SampleTime, frame: Frame, index: number): ReadStatus;
  snapshot(): unknown;
  restore(state: unknown): void;
}
