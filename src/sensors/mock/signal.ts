import type { JsonValue } from '../../config/model.js';

/**
 * A mock sensor's signal: the value a simulated sensor reads at a given time.
 *
 * Contract:
 * - `valueAt(tUs)` is called once per sample, with `tUs` (integer microseconds since the run
 *   began) non-decreasing from call to call. Time-based signals are pure functions of `tUs`;
 *   `random_walk` advances one step per call, so skipping calls (during a fault) pauses it.
 * - A numeric `NaN` means "no reading yet" (before the first row of `steps` or `csv`), whatever the
 *   signal's value type; {@link MockSource} turns it into `ReadStatus.None`.
 * - `snapshot()` returns plain JSON; `restore(snapshot())` on a fresh signal built from the same
 *   spec and options continues the same sequence.
 */
export interface Signal {
  /**
   * Value at time tUs: a number, boolean, string or JSON object/array (`JsonValue` covers all of
   * them). Called once per sample with non-decreasing tUs.
   */
  valueAt(tUs: number): JsonValue;
  snapshot(): unknown;
  restore(state: unknown): void;
}
