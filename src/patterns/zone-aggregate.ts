/**
 * The `zone_aggregate` pattern's per-tick kernel (issue 3 item 2; SPEC §2 `kind: zone_aggregate`):
 * avg, min, max, count and stale_count of the known values of the sensors of one quantity located
 * in one zone, each converted to the aggregate's unit first.
 *
 * Membership and unit conversions are resolved at load time (js-quantities is far too slow for the
 * tick, DESIGN "Known hardware facts"), so the tick only walks flat typed arrays and allocates
 * nothing.
 */

/** Field order of the `out` array written by {@link aggregateInto}. */
export const AGGREGATE_FIELDS = ['avg', 'min', 'max', 'count', 'stale_count'] as const;
export type AggregateField = (typeof AGGREGATE_FIELDS)[number];

export const AGG_AVG = 0;
export const AGG_MIN = 1;
export const AGG_MAX = 2;
export const AGG_COUNT = 3;
export const AGG_STALE_COUNT = 4;

/** Length of the `out` array. */
export const AGGREGATE_WIDTH = AGGREGATE_FIELDS.length;

/** Per-member conversion stride in `conv`: pre, mul, post. */
export const CONV_STRIDE = 3;

/**
 * Aggregates one zone for one tick.
 *
 * Contract:
 * - `values[slot]` is the current value of the sensor in `slot`, NaN when unknown.
 * - `members[i]` is the slot of member i; `conv[3i..3i+2]` = (pre, mul, post) converts member i's
 *   unit to the aggregate's: `y = (x + pre) * mul + post` (affine covers absolute temperatures:
 *   degF -> degC is pre = -32, mul = 5/9, post = 0; identity is 0, 1, 0).
 * - `stale[i]` is 1 when member i is stale (it still holds its last good value, SPEC §4.2).
 * - `out` (length >= {@link AGGREGATE_WIDTH}) receives [avg, min, max, count, stale_count].
 *
 * Unknown members are skipped so that one failed sensor does not make the whole zone unknown;
 * with no known member avg/min/max are NaN (unknown) and count is 0. stale_count counts every
 * member whose stale flag is set; a stale member is still known, so it also counts in `count`.
 * Values are summed in member order, which keeps the result bit-identical between runs.
 */
export function aggregateInto(
  values: Float64Array,
  members: Int32Array,
  conv: Float64Array,
  out: Float64Array,
  stale: Uint8Array,
): void {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  let staleCount = 0;
  const n = members.length;
  for (let i = 0; i < n; i++) {
    if ((stale[i] ?? 0) !== 0) staleCount++;
    const x = values[members[i] ?? -1] ?? NaN;
    if (x !== x) continue;
    const c = i * CONV_STRIDE;
    const y = (x + (conv[c] ?? 0)) * (conv[c + 1] ?? 1) + (conv[c + 2] ?? 0);
    sum += y;
    if (y < min) min = y;
    if (y > max) max = y;
    count++;
  }
  out[AGG_AVG] = count === 0 ? NaN : sum / count;
  out[AGG_MIN] = count === 0 ? NaN : min;
  out[AGG_MAX] = count === 0 ? NaN : max;
  out[AGG_COUNT] = count;
  out[AGG_STALE_COUNT] = staleCount;
}
