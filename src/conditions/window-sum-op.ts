import type { SeriesBuffer } from './series-buffer.js';
import { asRecord, num, type TemporalOp } from './temporal-op.js';

export type SumKind = 'sum' | 'avg' | 'count';

/**
 * Relative margin of WindowSumOp.dueToCross, and the most ticks it skips. Polling reaches each
 * skipped tick's sum from this tick's by one rounded step per tick (2^-53 of the magnitude each):
 * over at most MAX_SKIP steps that is 1.1e-10 of the magnitude, well inside the margin.
 */
const CROSSING_MARGIN = 1e-9;
const MAX_SKIP = 1_000_000;
/** Runs dueToCross reads at most (see there). */
const MAX_SCANNED_RUNS = 32;

/**
 * sum / avg / count over a window of ticks (SPEC §4.3: the ticks with t_k - D < t_j <= t_k;
 * unknown samples skipped; no known sample gives unknown). count(e, D) is the sum of a boolean
 * series, whose values are 1, 0 or unknown.
 *
 * The running sum is updated incrementally (O(1) per tick) and re-anchored to the exact `v * n`
 * whenever the window holds a single run. That keeps polling and event-driven evaluation
 * bit-identical: event mode only skips ticks while the window is a single run, and both modes
 * then hold exactly `v * n`.
 */
export class WindowSumOp implements TemporalOp {

  /**
   * Numeric state in a typed array behind accessors: V8 allocates a heap number when a double
   * lands in an object field, and this runs every tick. [lastTick, front, frontRun, known, tick of
   * the last update, tick of the low/high below, lowest and highest value in the window then].
   */
  private readonly n = new Float64Array([-1, 0, 0, 0, -1, -1, 0, 0]);

  private get lastTick(): number {
    return this.n[0] as number;
  }

  private set lastTick(v: number) {
    this.n[0] = v;
  }

  private get front(): number {
    return this.n[1] as number;
  }

  private set front(v: number) {
    this.n[1] = v;
  }

  private get frontRun(): number {
    return this.n[2] as number;
  }

  private set frontRun(v: number) {
    this.n[2] = v;
  }

  private get known(): number {
    return this.n[3] as number;
  }

  private set known(v: number) {
    this.n[3] = v;
  }
  /**
   * [running sum, last result]. Doubles live in a typed array: storing a double into an object
   * field makes V8 allocate a heap number on every store, and this runs every tick.
   */
  private readonly d = new Float64Array([0, NaN]);

  constructor(
    private readonly buffer: SeriesBuffer,
    private readonly windowTicks: number,
    private readonly kind: SumKind,
  ) {}

  /** The result of the last `update`. */
  get value(): number {
    return this.d[1] as number;
  }

  /**
   * Writes `value` into `out[at]`: for a call site that meets several window kinds, where V8 may
   * not inline the `value` getter, and a double returned by a call that is not inlined is boxed.
   */
  writeTo(out: Float64Array, at: number): void {
    out[at] = this.d[1] as number;
  }

  /**
   * Call after `buffer.record(tick, x)`; the result is then in `value`. Idempotent within a tick:
   * nodes reading the same window share it (see Scope.windows), and a second update must not
   * recompute a sum the first one reached incrementally (the bits could differ).
   */
  update(tick: number): void {
    if (tick === this.n[4]) return;
    this.compute(tick);
    this.n[4] = tick;
  }

  /** `update`, returning the value (tests and load time). */
  eval(tick: number): number {
    this.update(tick);
    return this.value;
  }

  /** Writes the result (never returns a double: a big method's returned double is boxed). */
  private compute(tick: number): void {
    if (this.lastTick < 0 || tick <= this.lastTick) {
      this.recompute(tick);
    } else {
      this.advance(tick);
    }
    if (this.known === 0) {
      this.d[1] = NaN;
      return;
    }
    const sum = this.d[0] as number;
    this.d[1] = this.kind === 'avg' ? sum / this.known : sum;
  }

  private windowStart(tick: number): number {
    return Math.max(this.buffer.origin, tick - this.windowTicks + 1);
  }

  /**
   * Steps the sum tick by tick from the last tick updated to `tick`: each step drops what left the
   * window and adds the new sample, and re-anchors to the exact sum where the window is a single
   * run. Ticks skipped by event-driven evaluation (or by a node sharing the window evaluated at
   * other ticks) are replayed in order, over the runs as they stood at each tick, so the sum has
   * the same bits as one stepped every tick (tests compare them). A window that is a single run
   * at the last skipped tick is recomputed there instead, as stepping re-anchors it anyway; one
   * that is not has seen a run start within its last `windowTicks` ticks, so a replay is at most
   * one window long. State lives in locals through the loop; arrays are indexed directly.
   */
  private advance(tick: number): void {
    const b = this.buffer;
    let j = this.lastTick + 1;
    if (tick > j && b.startOf(b.runAt(tick - 1)) <= this.windowStart(tick - 1)) {
      this.recompute(tick - 1);
      j = tick;
    }
    const values = b.values;
    const starts = b.starts;
    const cap = b.capacityRuns;
    const total = b.count;
    const d = this.d;
    let sum = d[0] as number;
    let front = this.front;
    let frontRun = this.frontRun;
    let known = this.known;
    // Runs recorded after tick j (by another window on this series) were not there at j.
    let count = total;
    while (count - 1 > b.first && (starts[(count - 1) % cap] as number) > j) count--;
    for (; j <= tick; j++) {
      while (count < total && (starts[count % cap] as number) <= j) count++;
      const ws = Math.max(b.origin, j - this.windowTicks + 1);
      while (front < ws) {
        const end = frontRun + 1 < count ? (starts[(frontRun + 1) % cap] as number) - 1 : j;
        const upto = Math.min(end, ws - 1);
        const v = values[frontRun % cap] as number;
        if (v === v) {
          const c = upto - front + 1;
          sum = sum - v * c;
          known -= c;
        }
        front = upto + 1;
        if (front > end) frontRun++;
      }
      const last = (count - 1) % cap;
      const v = values[last] as number;
      if (v === v) {
        sum = sum + v;
        known++;
      }
      if ((starts[last] as number) <= ws) {
        // Re-anchored through the fields recompute works on.
        d[0] = sum;
        this.front = front;
        this.frontRun = frontRun;
        this.known = known;
        this.recompute(j);
        sum = d[0] as number;
        front = this.front;
        frontRun = this.frontRun;
        known = this.known;
      }
    }
    d[0] = sum;
    this.front = front;
    this.frontRun = frontRun;
    this.known = known;
    this.lastTick = tick;
  }

  /** Exact sum from the runs; for a single run this is exactly v * n. */
  private recompute(tick: number): void {
    const b = this.buffer;
    const ws = this.windowStart(tick);
    let r = b.runAt(ws);
    this.front = ws;
    this.frontRun = r;
    let sum = 0;
    this.known = 0;
    for (; r < b.count; r++) {
      const from = Math.max(b.startOf(r), ws);
      const to = Math.min(b.endOf(r), tick);
      if (to < from) break;
      const v = b.valueOf(r);
      if (v === v) {
        sum += v * (to - from + 1);
        this.known += to - from + 1;
      }
    }
    this.d[0] = sum;
    this.lastTick = tick;
  }

  nextDue(tick: number): number {
    const b = this.buffer;
    const ws = this.windowStart(tick);
    const single = b.startOf(b.count - 1) <= ws;
    if (!single) return tick + 1;
    if (this.known === 0) return Infinity;
    // sum and count still grow while the window fills up from the first recorded tick, and avg
    // (v * n / n) may round differently for each n (0.1 * 3 / 3 !== 0.1).
    return tick - this.windowTicks + 1 >= b.origin ? Infinity : tick + 1;
  }

  /**
   * nextDue for a node that only compares this window with a constant `threshold` (`avg(x, 1min)
   * > 30`): the comparison cannot change before the value can reach the threshold. While the
   * node sleeps its series repeats its current value, so each tick the sum moves by the current
   * value minus a value leaving the window, at most max(current - lowest, highest - current) of
   * the values in the window now; the first tick at which the accumulated move could cover the
   * distance to the threshold is the next one that matters. A margin far above the rounding of
   * the running sum keeps the bound safe, and it never reaches past the tick the window becomes a
   * single run (see below); a filling window or unknown samples fall back to nextDue (every tick).
   */
  dueToCross(tick: number, threshold: number): number {
    const due = this.nextDue(tick);
    if (due !== tick + 1) return due;
    const b = this.buffer;
    const ws = tick - this.windowTicks + 1;
    // A window of many runs has a series that keeps changing: the node will be woken anyway,
    // and scanning the runs would cost more than the sleep saves.
    const front = Math.max(this.frontRun, b.first);
    if (ws < b.origin || this.lastTick !== tick || b.count - front > MAX_SCANNED_RUNS) return due;
    const current = b.valueOf(b.count - 1);
    // The lowest and highest value in the window, kept for the tick: the nodes comparing one
    // shared window with their own thresholds (Scope.windows) scan its runs once between them.
    const n = this.n;
    if (n[5] !== tick) {
      let low = current;
      let high = current;
      for (let r = front; r < b.count; r++) {
        const v = b.valueOf(r);
        if (v < low) low = v;
        if (v > high) high = v;
      }
      n[5] = tick;
      n[6] = low;
      n[7] = high;
    }
    const low = n[6] as number;
    const high = n[7] as number;
    const value = this.value;
    // NaN anywhere (an unknown sample, an unknown threshold) fails these comparisons.
    if (!(low <= high) || !(value === value) || !(threshold === threshold)) return due;
    const perTick = Math.max(current - low, high - current) / (this.kind === 'avg' ? this.known : 1);
    const gap = Math.abs(value - threshold) - CROSSING_MARGIN * (Math.abs(value) + Math.abs(threshold) + (high - low));
    if (!(perTick > 0) || !(gap > 0)) return due;
    const ticks = Math.min(Math.floor(gap / perTick), MAX_SKIP);
    if (ticks < 1) return due;
    // Not past the tick the window becomes one run again, where polling re-anchors the sum to
    // the exact v * n: the steps from this tick's sum bound the values up to there, not beyond.
    const anchor = b.startOf(b.count - 1) + this.windowTicks - 1;
    return Math.min(tick + ticks, anchor > tick ? anchor : tick + 1);
  }

  snapshot(): unknown {
    return { lastTick: this.lastTick, front: this.front, frontRun: this.frontRun, sum: this.d[0], known: this.known, series: this.buffer.snapshot() };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    this.lastTick = num(s, 'lastTick');
    this.front = num(s, 'front');
    this.frontRun = num(s, 'frontRun');
    this.d[0] = num(s, 'sum');
    this.known = num(s, 'known');
    this.n[4] = -1;
    this.n[5] = -1;
    // Several windows may share one series: each restores the same state, which is harmless.
    if (s['series'] !== undefined) this.buffer.restore(s['series']);
  }

  reset(): void {
    this.n[4] = -1;
    this.n[5] = -1;
    this.lastTick = -1;
    this.d[0] = 0;
    this.known = 0;
  }
}
