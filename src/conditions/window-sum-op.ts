import type { SeriesBuffer } from './series-buffer.js';
import { asRecord, num, type TemporalOp } from './temporal-op.js';

export type SumKind = 'sum' | 'avg' | 'count';

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
   * lands in an object field, and this runs every tick.
   */
  private readonly n = new Float64Array([-1, 0, 0, 0]);

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

  /** Call after `buffer.record(tick, x)`; the result is then in `value`. */
  update(tick: number): void {
    this.compute(tick);
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
      if (tick > this.lastTick + 1) this.recompute(tick - 1);
      this.step(tick);
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

  /** One tick forward: drop what left the window, add the new sample (arrays indexed directly). */
  private step(tick: number): void {
    const b = this.buffer;
    const values = b.values;
    const starts = b.starts;
    const cap = b.capacityRuns;
    const count = b.count;
    const d = this.d;
    const ws = this.windowStart(tick);
    let front = this.front;
    let frontRun = this.frontRun;
    let known = this.known;
    while (front < ws) {
      const end = frontRun + 1 < count ? (starts[(frontRun + 1) % cap] as number) - 1 : tick;
      const upto = Math.min(end, ws - 1);
      const v = values[frontRun % cap] as number;
      if (v === v) {
        const c = upto - front + 1;
        d[0] = (d[0] as number) - v * c;
        known -= c;
      }
      front = upto + 1;
      if (front > end) frontRun++;
    }
    const last = (count - 1) % cap;
    const v = values[last] as number;
    if (v === v) {
      d[0] = (d[0] as number) + v;
      known++;
    }
    this.front = front;
    this.frontRun = frontRun;
    this.known = known;
    this.lastTick = tick;
    if ((starts[last] as number) <= ws) this.recompute(tick);
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
    // Several windows may share one series: each restores the same state, which is harmless.
    if (s['series'] !== undefined) this.buffer.restore(s['series']);
  }

  reset(): void {
    this.lastTick = -1;
    this.d[0] = 0;
    this.known = 0;
  }
}
