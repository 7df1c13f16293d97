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
  private lastTick = -1;
  private front = 0;
  private frontRun = 0;
  private sum = 0;
  private known = 0;

  constructor(
    private readonly buffer: SeriesBuffer,
    private readonly windowTicks: number,
    private readonly kind: SumKind,
  ) {}

  /** Call after `buffer.record(tick, x)`. */
  eval(tick: number): number {
    if (this.lastTick < 0 || tick <= this.lastTick) {
      this.recompute(tick);
    } else {
      if (tick > this.lastTick + 1) this.recompute(tick - 1);
      this.step(tick);
    }
    if (this.known === 0) return NaN;
    return this.kind === 'avg' ? this.sum / this.known : this.sum;
  }

  private windowStart(tick: number): number {
    return Math.max(this.buffer.origin, tick - this.windowTicks + 1);
  }

  private step(tick: number): void {
    const b = this.buffer;
    const ws = this.windowStart(tick);
    while (this.front < ws) {
      const end = b.endOf(this.frontRun);
      const upto = Math.min(end, ws - 1);
      const v = b.valueOf(this.frontRun);
      if (v === v) {
        const c = upto - this.front + 1;
        this.sum -= v * c;
        this.known -= c;
      }
      this.front = upto + 1;
      if (this.front > end) this.frontRun++;
    }
    const v = b.valueOf(b.count - 1);
    if (v === v) {
      this.sum += v;
      this.known++;
    }
    this.lastTick = tick;
    if (b.startOf(b.count - 1) <= ws) this.recompute(tick);
  }

  /** Exact sum from the runs; for a single run this is exactly v * n. */
  private recompute(tick: number): void {
    const b = this.buffer;
    const ws = this.windowStart(tick);
    let r = b.runAt(ws);
    this.front = ws;
    this.frontRun = r;
    this.sum = 0;
    this.known = 0;
    for (; r < b.count; r++) {
      const from = Math.max(b.startOf(r), ws);
      const to = Math.min(b.endOf(r), tick);
      if (to < from) break;
      const v = b.valueOf(r);
      if (v === v) {
        this.sum += v * (to - from + 1);
        this.known += to - from + 1;
      }
    }
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
    return { lastTick: this.lastTick, front: this.front, frontRun: this.frontRun, sum: this.sum, known: this.known };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    this.lastTick = num(s, 'lastTick');
    this.front = num(s, 'front');
    this.frontRun = num(s, 'frontRun');
    this.sum = num(s, 'sum');
    this.known = num(s, 'known');
  }

  reset(): void {
    this.lastTick = -1;
    this.sum = 0;
    this.known = 0;
  }
}
