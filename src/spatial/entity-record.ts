/**
 * A scratch record the tracker parses into. One per tracker, rewritten for every record, so
 * reading 10,000 records a tick allocates nothing beyond the id strings the input already holds.
 */
export interface EntityRecordScratch {
  id: string;
  x: number;
  y: number;
  /** NaN when the record has no `z` (a 2-D position). */
  z: number;
}

/**
 * Reads one entity record `{id, x, y[, z]}` into `out`.
 *
 * Accepted: `id` a non-empty string or a finite number (converted with `String`, so `7` and `"7"`
 * are one entity); `x`, `y` finite numbers; `z` absent, `null` (both meaning 2-D) or a finite
 * number. Extra keys are ignored (trackers often send speed, heading, battery).
 *
 * @returns false when the value is not such a record; `out` is then partly written and
 *   meaningless. Never throws: bad input from a sensor is counted, not raised.
 */
export function readEntityRecord(value: unknown, out: EntityRecordScratch): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as { readonly id?: unknown; readonly x?: unknown; readonly y?: unknown; readonly z?: unknown };
  const { id, x, y, z } = r;
  if (typeof id === 'string') {
    if (id === '') return false;
    out.id = id;
  } else if (typeof id === 'number' && Number.isFinite(id)) {
    out.id = String(id);
  } else {
    return false;
  }
  if (typeof x !== 'number' || !Number.isFinite(x) || typeof y !== 'number' || !Number.isFinite(y)) return false;
  out.x = x;
  out.y = y;
  if (z === undefined || z === null) out.z = NaN;
  else if (typeof z === 'number' && Number.isFinite(z)) out.z = z;
  else return false;
  return true;
}
