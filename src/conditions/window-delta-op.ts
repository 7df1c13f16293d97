import type { SeriesBuffer } from './series-buffer.js';
import { asRecord, num, type TemporalOp } from './temporal-op.js';

/**
 * delta(x, D): newest known sample minus oldest known sample in the window (0 with a single
 * sample). rate(x, D): that change per second between the two samples' times (unknown with fewer
 * than two known samples at different ticks).
 */
export class WindowDeltaOp implements TemporalOp {
  private frontRun = 0;

  constructor(
    private readonly buffer: SeriesBuffer,
    private readonly windowTicks: number,
    private readonly periodS: number,
    private readonly isRate: boolean,
  ) {}

  /** Call after `buffer.record(tick, x)`. */
  eval(tick: number): number {
    const b = this.buffer;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    if (this.frontRun < b.first) this.frontRun = b.first;
    while (this.frontRun < b.count - 1 && b.endOf(this.frontRun) < ws) this.frontRun++;
    let first = this.frontRun;
    while (first < b.count && b.valueOf(first) !== b.valueOf(first)) first++;
    if (first >= b.count) return NaN;
    let last = b.count - 1;
    while (b.valueOf(last) !== b.valueOf(last)) last--;
    const change = b.valueOf(last) - b.valueOf(first);
    if (!this.isRate) return change;
    const tFirst = Math.max(b.startOf(first), ws);
    const tLast = b.endOf(last);
    return tLast > tFirst ? change / ((tLast - tFirst) * this.periodS) : NaN;
  }

  nextDue(tick: number): number {
    const b = this.buffer;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    const single = b.startOf(b.count - 1) <= ws;
    const full = tick - this.windowTicks + 1 >= b.origin;
    return single && full ? Infinity : tick + 1;
  }

  snapshot(): unknown {
    return { frontRun: this.frontRun };
  }

  restore(state: unknown): void {
    this.frontRun = num(asRecord(state), 'frontRun');
  }

  reset(): void {
    this.frontRun = 0;
  }
}
