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

/** Ticks needed for "at least D has elapsed": the smallest n with n * period >= D. */
export function ticksAtLeast(durationUs: number, periodUs: number): number {
  return Math.ceil(durationUs / periodUs);
}

/** Ticks back that still count as "within D": the largest n with n * period <= D. */
export function ticksWithin(durationUs: number, periodUs: number): number {
  return Math.floor(durationUs / periodUs);
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
