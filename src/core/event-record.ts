/**
 * One line of the event log (SPEC §5): `t` (seconds since the run began), `tick`, `type`, then
 * type-specific fields. Records are built with those three keys first, so JSON.stringify writes
 * them in that order and the log is byte-identical run after run.
 */
export interface EventRecord {
  t: number;
  tick: number;
  type: string;
  [field: string]: unknown;
}

/** Seconds, rounded to 1 µs (SPEC §4.1). */
export function secondsOf(tUs: number): number {
  return Math.round(tUs) / 1e6;
}

/** One JSON line, newline included. */
export function formatRecord(r: EventRecord): string {
  return JSON.stringify(r) + '\n';
}
