/** Longest sampling stride: even the cheapest tick is timed once in this many. */
export const MAX_STRIDE = 9973;

/**
 * The smallest prime >= n (n >= 1; 1 stays 1). Strides are prime so that sampled ticks do not fall
 * in step with a periodic workload (sensors read every 10 or 20 ticks, windows of round lengths):
 * over a run they visit every phase of it.
 */
export function primeAtLeast(n: number): number {
  if (n <= 2) return Math.max(1, Math.ceil(n));
  let c = Math.ceil(n) | 1;
  for (;; c += 2) {
    let prime = true;
    for (let d = 3; d * d <= c; d += 2) {
      if (c % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) return c;
  }
}
