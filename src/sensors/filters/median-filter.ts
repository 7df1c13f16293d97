import type { Filter } from './filter.js';
import { FilterState } from './filter-state.js';
import { SampleWindow, type SampleWindowState } from './sample-window.js';

/**
 * `median`: the median of the last `samples` readings and/or of the readings with
 * `tUs > now - windowUs`; for an even count, the mean of the two middle values. The values are
 * copied into a preallocated scratch array and partially ordered in place (quickselect), so a push
 * allocates nothing once the window has reached its size.
 *
 * @throws Error when neither `samples` nor `windowUs` is given or one is out of range.
 */
export class MedianFilter implements Filter {
  private readonly window: SampleWindow;
  private scratch: Float64Array;

  constructor(samples: number | undefined, windowUs: number | undefined) {
    this.window = new SampleWindow(samples, windowUs);
    this.scratch = new Float64Array(this.window.capacity);
  }

  push(value: number, tUs: number): number {
    const w = this.window;
    w.push(value, tUs);
    if (this.scratch.length < w.capacity) this.scratch = new Float64Array(w.capacity);
    const a = this.scratch;
    const n = w.length;
    w.copyValuesInto(a);
    const k = n >>> 1;
    select(a, n, k);
    if (n % 2 === 1) return a[k] as number;
    // After selecting k, a[0..k) holds the k smallest values: the lower middle is their maximum.
    let lower = a[0] as number;
    for (let i = 1; i < k; i++) if ((a[i] as number) > lower) lower = a[i] as number;
    return (lower + (a[k] as number)) / 2;
  }

  idle(): undefined {
    return undefined;
  }

  snapshot(): { window: SampleWindowState } {
    return { window: this.window.snapshot() };
  }

  restore(state: unknown): void {
    this.window.restore(new FilterState(state, 'median').raw('window'));
    if (this.scratch.length < this.window.capacity) this.scratch = new Float64Array(this.window.capacity);
  }
}

/**
 * Reorders a[0..n) so that a[k] is the value a full sort would put there, smaller-or-equal values
 * before it and greater-or-equal after (Hoare's quickselect, median-of-three pivot: deterministic,
 * linear on average, no recursion and no allocation).
 */
function select(a: Float64Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const pivot = median3(a[lo] as number, a[mid] as number, a[hi] as number);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] <= pivot <= a[i..hi], and anything between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function median3(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}
