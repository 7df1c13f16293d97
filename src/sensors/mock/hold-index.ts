import type { SampleTime } from './sample-time.js';

/**
 * Index of the last entry of `timesUs` (sorted, non-decreasing) at or before `at[0]`, or -1 when
 * `at[0]` comes before the first entry. Among equal times the last entry wins, so a later row at
 * the same instant overrides an earlier one. Binary search keeps the hold signals stateless:
 * nothing to snapshot, and correct for any time, not only non-decreasing ones.
 */
export function holdIndex(timesUs: ArrayLike<number>, at: SampleTime): number {
  const tUs = at[0] as number;
  let lo = 0;
  let hi = timesUs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timesUs[mid] as number) <= tUs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
