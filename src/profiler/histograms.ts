/** Sub-buckets per power of two: a value is known to within 1/64 (1.6%), as HdrHistogram's 2 digits. */
const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;
/** Below this many ns every value has its own bucket. */
const EXACT = 2 * SUB;
/** Largest value kept apart, in ns (2^40: 18 minutes); larger ones count in the last bucket. */
const TOP_EXPONENT = 39;
const BUCKETS = EXACT + (TOP_EXPONENT - SUB_BITS) * SUB;
const MAX_NS = 2 ** (TOP_EXPONENT + 1) - 1;

/** The bucket of `ns` (an integer >= 0). */
function bucketOf(ns: number): number {
  if (ns < EXACT) return ns;
  if (ns <= 0xffffffff) {
    // Durations under 4 s: the exponent from the leading zeros, the sub-bucket from a shift.
    const e = 31 - Math.clz32(ns);
    return EXACT + (e - SUB_BITS - 1) * SUB + ((ns >>> (e - SUB_BITS)) & (SUB - 1));
  }
  let e = Math.floor(Math.log2(ns));
  // log2 may round up just below a power of two.
  if (ns < 2 ** e) e--;
  return EXACT + (e - SUB_BITS - 1) * SUB + (Math.floor(ns / 2 ** (e - SUB_BITS)) - SUB);
}

/** The middle of bucket `i`, in ns. */
function middleOf(i: number): number {
  if (i < EXACT) return i;
  const e = Math.floor((i - EXACT) / SUB) + SUB_BITS + 1;
  const width = 2 ** (e - SUB_BITS);
  return (SUB + ((i - EXACT) % SUB)) * width + (width - 1) / 2;
}

/** A histogram's summary, in microseconds. */
export interface DurationSummary {
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly meanUs: number;
  /** Values recorded (with their counts: sampled ticks count for the ticks they stand for). */
  readonly count: number;
}

/**
 * A histogram of durations, log-linear as HdrHistogram is: exact below 128 ns, then 64 buckets
 * per power of two (within 1.6%) up to 18 minutes; the maximum and the mean are exact. Counts in
 * one typed array (18 KB), so recording allocates nothing, and costs a few ns: hdr-histogram-js
 * takes 20 to 80 ns a value here, which on a sampled tick (8 values) would spend the profiler's
 * whole budget on a small deployment.
 */
export class DurationHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  totalCount = 0;
  private sumNs = 0;
  private minNs = Infinity;
  private maxNs = 0;

  /** Records `us` microseconds, `count` times (a sampled tick stands for the ticks it represents). */
  recordUs(us: number, count = 1): void {
    let ns = us * 1000;
    ns = ns > 0 ? (ns < MAX_NS ? Math.round(ns) : MAX_NS) : 0;
    const i = bucketOf(ns);
    this.counts[i] = (this.counts[i] ?? 0) + count;
    this.totalCount += count;
    this.sumNs += ns * count;
    if (ns > this.maxNs) this.maxNs = ns;
    if (ns < this.minNs) this.minNs = ns;
  }

  /** The value (µs) at or below which `pct` percent of the recorded values lie. */
  percentileUs(pct: number): number {
    const target = Math.max(1, Math.ceil((pct / 100) * this.totalCount));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= target) return Math.min(this.maxNs, Math.max(this.minNs, middleOf(i))) / 1000;
    }
    return this.maxNs / 1000;
  }

  /** The summary, or null when nothing was recorded. */
  summary(): DurationSummary | null {
    if (this.totalCount === 0) return null;
    return {
      p50Us: round3(this.percentileUs(50)),
      p90Us: round3(this.percentileUs(90)),
      p99Us: round3(this.percentileUs(99)),
      maxUs: round3(this.maxNs / 1000),
      meanUs: round3(this.sumNs / this.totalCount / 1000),
      count: this.totalCount,
    };
  }
}

/** To 1 ns, so JSON figures do not carry float noise. */
export function round3(us: number): number {
  return Math.round(us * 1000) / 1000;
}
