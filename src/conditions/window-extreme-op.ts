import type { SeriesBuffer } from './series-buffer.js';
import { asRecord, num, type TemporalOp } from './temporal-op.js';

/**
 * min / max over a window: a monotonic deque of runs (O(1) amortised per tick). Unknown runs
 * never enter the deque, so they are skipped; an empty deque means no known sample: unknown.
 */
export class WindowExtremeOp implements TemporalOp {

  /**
   * Numeric state in a typed array behind accessors: V8 allocates a heap number when a double
   * lands in an object field, and this runs every tick.
   */
  private readonly n = new Float64Array([0, 0, -1]);

  private get head(): number {
    return this.n[0] as number;
  }

  private set head(v: number) {
    this.n[0] = v;
  }

  private get tail(): number {
    return this.n[1] as number;
  }

  private set tail(v: number) {
    this.n[1] = v;
  }

  private get seen(): number {
    return this.n[2] as number;
  }

  private set seen(v: number) {
    this.n[2] = v;
  }
  private readonly deque: Float64Array;

  constructor(
    private readonly buffer: SeriesBuffer,
    private readonly windowTicks: number,
    private readonly isMax: boolean,
  ) {
    this.deque = new Float64Array(buffer.capacityRuns + 1);
  }

  private at(i: number): number {
    return this.deque[i % this.deque.length] ?? 0;
  }

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
   * buffer's arrays are indexed directly: run indices are doubles here, and passing them to a
   * helper V8 did not inline would box them.
   */
  private compute(tick: number): void {
    const b = this.buffer;
    // State read and written through the array itself, not the accessors: this is the hot loop.
    const n = this.n;
    const values = b.values;
    const starts = b.starts;
    const cap = b.capacityRuns;
    const deque = this.deque;
    const dlen = deque.length;
    const count = b.count;
    // Loop over a small integer offset: a double loop counter made V8 box it on every pass.
    const base = Math.max((n[2] as number) + 1, b.first);
    const fresh = count - base;
    for (let k = 0; k < fresh; k++) {
      const r = base + k;
      const v = values[r % cap] as number;
      if (v !== v) continue;
      let tail = n[1] as number;
      while (tail > (n[0] as number)) {
        const back = values[(deque[(tail - 1) % dlen] as number) % cap] as number;
        if (this.isMax ? back > v : back < v) break;
        tail--;
      }
      deque[tail % dlen] = r;
      n[1] = tail + 1;
    }
    n[2] = count - 1;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    const lastTick = b.lastTick;
    let head = n[0] as number;
    while ((n[1] as number) > head) {
      const run = deque[head % dlen] as number;
      const end = run + 1 < count ? (starts[(run + 1) % cap] as number) - 1 : lastTick;
      if (end >= ws) break;
      head++;
    }
    n[0] = head;
    this.result[0] = (n[1] as number) > head ? (values[(deque[head % dlen] as number) % cap] as number) : NaN;
  }


  nextDue(tick: number): number {
    const b = this.buffer;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    return b.startOf(b.count - 1) <= ws ? Infinity : tick + 1;
  }

  snapshot(): unknown {
    const runs: number[] = [];
    for (let i = this.head; i < this.tail; i++) runs.push(this.at(i));
    return { seen: this.seen, runs, series: this.buffer.snapshot() };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    const runs = s['runs'];
    if (!Array.isArray(runs)) throw new Error('window snapshot is malformed');
    this.seen = num(s, 'seen');
    if (s['series'] !== undefined) this.buffer.restore(s['series']);
    this.head = 0;
    this.tail = 0;
    for (const r of runs) this.deque[this.tail++] = Number(r);
  }

  reset(): void {
    this.head = 0;
    this.tail = 0;
    this.seen = -1;
  }
}
