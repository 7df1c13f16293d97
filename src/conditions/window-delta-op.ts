import type { SeriesBuffer } from './series-buffer.js';
import { asRecord, num, type TemporalOp } from './temporal-op.js';

/**
 * delta(x, D): newest known sample minus oldest known sample in the window (0 with a single
 * sample). rate(x, D): that change per second between the two samples' times (unknown with fewer
 * than two known samples at different ticks).
 */
export class WindowDeltaOp implements TemporalOp {

  /**
   * Numeric state in a typed array behind accessors: V8 allocates a heap number when a double
   * lands in an object field, and this runs every tick.
   */
  private readonly n = new Float64Array([0]);

  private get frontRun(): number {
    return this.n[0] as number;
  }

  private set frontRun(v: number) {
    this.n[0] = v;
  }

  constructor(
    private readonly buffer: SeriesBuffer,
    private readonly windowTicks: number,
    private readonly periodS: number,
    private readonly isRate: boolean,
  ) {}

  /** The last result: in a typed array, as a double stored in a field would be boxed each time. */
  private readonly result = new Float64Array([NaN]);

  get value(): number {
    return this.result[0] as number;
  }

  /**
   * Writes `value` into `out[at]`: for a call site that meets several window kinds, where V8 may
   * not inline the `value` getter, and a double returned by a call that is not inlined is boxed.
   */
  writeTo(out: Float64Array, at: number): void {
    out[at] = this.result[0] as number;
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

  /**
   * Writes the result (never returns a double: a big method's returned double is boxed). The
   * buffer's arrays are indexed directly, for the same reason as in WindowExtremeOp.
   */
  private compute(tick: number): void {
    const b = this.buffer;
    const values = b.values;
    const starts = b.starts;
    const cap = b.capacityRuns;
    const count = b.count;
    const lastTick = b.lastTick;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    let front = Math.max(this.frontRun, b.first);
    while (front < count - 1 && (starts[(front + 1) % cap] as number) - 1 < ws) front++;
    this.frontRun = front;
    let first = front;
    while (first < count && (values[first % cap] as number) !== (values[first % cap] as number)) first++;
    if (first >= count) {
      this.result[0] = NaN;
      return;
    }
    let last = count - 1;
    while ((values[last % cap] as number) !== (values[last % cap] as number)) last--;
    const change = (values[last % cap] as number) - (values[first % cap] as number);
    if (!this.isRate) {
      this.result[0] = change;
      return;
    }
    const tFirst = Math.max(starts[first % cap] as number, ws);
    const tLast = last + 1 < count ? (starts[(last + 1) % cap] as number) - 1 : lastTick;
    this.result[0] = tLast > tFirst ? change / ((tLast - tFirst) * this.periodS) : NaN;
  }


  nextDue(tick: number): number {
    const b = this.buffer;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    const single = b.startOf(b.count - 1) <= ws;
    const full = tick - this.windowTicks + 1 >= b.origin;
    return single && full ? Infinity : tick + 1;
  }

  snapshot(): unknown {
    return { frontRun: this.frontRun, series: this.buffer.snapshot() };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    this.frontRun = num(s, 'frontRun');
    if (s['series'] !== undefined) this.buffer.restore(s['series']);
  }

  reset(): void {
    this.frontRun = 0;
  }
}
