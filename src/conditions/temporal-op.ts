/**
 * A stateful operator inside a compiled expression (held, within, rose, windows, ...).
 *
 * Operators count in ticks, never in seconds: durations are converted to tick counts at load
 * time (`ticksAtLeast`, `ticksWithin`), so comparisons such as "held for exactly D" are exact
 * integer comparisons and the same on every machine.
 */
export interface TemporalOp {
  /**
   * The earliest tick after `tick` at which this operator's output could change even if none of
   * its inputs change (held reaching its duration, a sample leaving a window, rose falling back);
   * `Infinity` when there is none. Event-driven evaluation schedules the node for that tick.
   */
  nextDue(tick: number): number;
  /** Plain-JSON state for checkpoints. */
  snapshot(): unknown;
  restore(state: unknown): void;
  /** Forgets all temporal state (after a downtime longer than `resume_max_gap`). */
  reset(): void;
}

/*
 * The tick period is exact (1e6 / rate µs, not rounded: 3 Hz ticks land on t = 3.0 s, not
 * 2.999997 s), so ratios of durations to it can be off by a rounding error; a tolerance far below
 * one tick absorbs that without ever moving a real boundary.
 */
const RATIO_TOLERANCE = 1e-9;

/** Ticks needed for "at least D has elapsed": the smallest n with n * period >= D. */
export function ticksAtLeast(durationUs: number, periodUs: number): number {
  return Math.max(0, Math.ceil(durationUs / periodUs - RATIO_TOLERANCE));
}

/** Ticks back that still count as "within D": the largest n with n * period <= D. */
export function ticksWithin(durationUs: number, periodUs: number): number {
  return Math.floor(durationUs / periodUs + RATIO_TOLERANCE);
}

/** Time of a tick in whole microseconds since the run began (SPEC §4.1: t = kP, to 1 µs). */
export function tickTimeUs(tick: number, periodUs: number): number {
  return Math.round(tick * periodUs);
}

/** How many ticks have t < durationUs (the ticks a run of that length executes). */
export function ticksBefore(durationUs: number, periodUs: number): number {
  return Math.max(0, Math.ceil(durationUs / periodUs - RATIO_TOLERANCE));
}

/** Value equality for series and change detection: NaN (unknown) equals NaN. */
export function sameNumber(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

export function asRecord(state: unknown): Record<string, unknown> {
  if (typeof state !== 'object' || state === null) throw new Error('operator snapshot is not an object');
  return state as Record<string, unknown>;
}

export function num(state: Record<string, unknown>, key: string): number {
  const v = state[key];
  if (v === null) return NaN;
  if (typeof v !== 'number') throw new Error(`operator snapshot: ${key} is not a number`);
  return v;
}
