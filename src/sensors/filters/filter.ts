/**
 * A sensor filter: a deterministic, stateful transformation of a sensor's good numeric readings.
 * Filters are part of the evaluation core (they run inside `step`), so a replay through a config
 * with different filters gives the answer that config would have given live.
 *
 * Contract:
 * - `push(value, tUs)` takes one good reading at time `tUs` (microseconds since the run began,
 *   non-decreasing) and returns the filtered value, `NaN` for "unknown", or `undefined` to drop the
 *   reading (the sensor keeps its previous value, as throttle and delta do).
 * - `idle(tUs)` is called on every tick where the sensor produced no good reading; it returns
 *   `undefined` (nothing changes) or a value that replaces the current one (the timeout filter).
 * - No allocation in push or idle once warmed up; no clocks, no I/O.
 * - `snapshot()` returns plain JSON; `restore(snapshot())` on a fresh filter of the same model gives
 *   a filter that behaves identically from then on.
 */
export interface Filter {
  push(value: number, tUs: number): number | undefined;
  idle(tUs: number): number | undefined;
  snapshot(): unknown;
  restore(state: unknown): void;
}
