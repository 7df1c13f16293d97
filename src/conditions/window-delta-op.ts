import { ringSlot, type SeriesBuffer } from './series-buffer.js';
import { asRecord, type TemporalOp } from './temporal-op.js';

/**
 * delta(x, D): newest known sample minus oldest known sample in the window (0 with a single
 * sample). rate(x, D): that change per second between the two samples' times (unknown with fewer
 * than two known samples at different ticks). The newest known tick is the buffer's; the oldest
 * is found by scanning forward from the window's start, and remembered: nothing before it in the
 * window is known, so the next tick's scan starts there (O(1) amortised).
 */
export class WindowDeltaOp implements TemporalOp {

  /**
   * Numeric state in a typed array: V8 allocates a heap number when a double lands in an object
   * field, and this runs every tick. [the tick the scan for the oldest known sample starts at:
   * every tick of the window before it is unknown].
   */
  private readonly n = new Float64Array([0]);
  /** The last result: in a typed array, as a double stored in a field would be boxed each time. */
  private readonly result = new Float64Array([NaN]);

  constructor(
    private readonly buffer: SeriesBuffer,
    private readonly windowTicks: number,
    private readonly periodS: number,
    private readonly isRate: boolean,
  ) {}

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

  /** Writes the result (never returns a double: a big method's returned double is boxed). */
  private compute(tick: number): void {
    const b = this.buffer;
    const values = b.values;
    const cap = b.capacity;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    const last = b.lastKnown;
    const scan = this.n[0] as number;
    let first = scan > ws && scan <= tick + 1 ? scan : ws;
    while (first <= last && (values[ringSlot(first, cap)] as number) !== (values[ringSlot(first, cap)] as number)) first++;
    if (last < ws || first > last) {
      this.n[0] = tick + 1;
      this.result[0] = NaN;
      return;
    }
    this.n[0] = first;
    const change = (values[last === b.lastTick ? b.lastSlot : ringSlot(last, cap)] as number) - (values[ringSlot(first, cap)] as number);
    if (!this.isRate) {
      this.result[0] = change;
      return;
    }
    // Two stores, not one of a conditional (see WindowExtremeOp.compute).
    if (last > first) this.result[0] = change / ((last - first) * this.periodS);
    else this.result[0] = NaN;
  }

  nextDue(tick: number): number {
    const b = this.buffer;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    const single = b.runStart <= ws;
    const full = tick - this.windowTicks + 1 >= b.origin;
    return single && full ? Infinity : tick + 1;
  }

  snapshot(): unknown {
    return { scanFrom: this.n[0], series: this.buffer.snapshot() };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    // Earlier versions kept a run number here: the scan then starts from the window.
    this.n[0] = typeof s['scanFrom'] === 'number' ? s['scanFrom'] : 0;
    if (s['series'] !== undefined) this.buffer.restore(s['series']);
  }

  reset(): void {
    this.n[0] = 0;
  }
}
