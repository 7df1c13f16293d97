import { ringSlot, type SeriesBuffer } from './series-buffer.js';
import { asRecord, num, type TemporalOp } from './temporal-op.js';

/**
 * min / max over a window: a monotonic deque of ticks (O(1) amortised per tick) whose values,
 * read from the buffer, fall (max) or rise (min) from front to back; a value equal to the back's
 * replaces it, so an entry stands for the latest tick of its value. Unknown samples never enter
 * the deque, so they are skipped; an empty deque means no known sample: unknown. Its state is a
 * function of the window alone: evaluated late (event mode), it reads the ticks it missed from
 * the buffer, which holds every tick of the window.
 */
export class WindowExtremeOp implements TemporalOp {

  /**
   * Numeric state in a typed array: V8 allocates a heap number when a double lands in an object
   * field, and this runs every tick. [head (a slot of `deque`), entries, last tick read from
   * the buffer].
   */
  private readonly n = new Float64Array([0, 0, -1]);
  /** Ticks, a ring from `head` (at most the window's ticks, plus one). */
  private readonly deque: Float64Array;
  /** The last result: in a typed array, as a double stored in a field would be boxed each time. */
  private readonly result = new Float64Array([NaN]);

  constructor(
    private readonly buffer: SeriesBuffer,
    private readonly windowTicks: number,
    private readonly isMax: boolean,
  ) {
    this.deque = new Float64Array(windowTicks + 1);
  }

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
   * Writes the result (never returns a double: a big method's returned double is boxed). State is
   * read and written through the arrays themselves, not accessors: this is the hot loop.
   */
  private compute(tick: number): void {
    const b = this.buffer;
    const n = this.n;
    const values = b.values;
    const cap = b.capacity;
    const deque = this.deque;
    const dlen = deque.length;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    let from = (n[2] as number) + 1;
    if (from < ws || from > tick + 1) {
      // Everything read before has left the window (or time went back): start from the window.
      from = ws;
      n[0] = 0;
      n[1] = 0;
    }
    // head is a slot of the deque, size its length; `at` the slot of tick j in the buffer.
    const head = n[0] as number;
    let size = n[1] as number;
    const isMax = this.isMax;
    let at = from === b.lastTick ? b.lastSlot : ringSlot(from, cap);
    for (let j = from; j <= tick; j++) {
      const v = values[at] as number;
      at = at + 1 === cap ? 0 : at + 1;
      if (v !== v) continue;
      while (size > 0) {
        const back = values[ringSlot(deque[ringSlot(head + size - 1, dlen)] as number, cap)] as number;
        if (isMax ? back > v : back < v) break;
        size--;
      }
      deque[ringSlot(head + size, dlen)] = j;
      size++;
    }
    n[2] = tick;
    let h = head;
    while (size > 0 && (deque[h] as number) < ws) {
      h = h + 1 === dlen ? 0 : h + 1;
      size--;
    }
    n[0] = h;
    n[1] = size;
    // Two stores, not one of a conditional: `cond ? load : NaN` made V8 merge a tagged NaN with
    // the loaded double, boxing it (a heap number every other evaluation, 4 KB a tick at 500).
    if (size > 0) this.result[0] = values[ringSlot(deque[h] as number, cap)] as number;
    else this.result[0] = NaN;
  }

  nextDue(tick: number): number {
    const b = this.buffer;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    return b.runStart <= ws ? Infinity : tick + 1;
  }

  snapshot(): unknown {
    const n = this.n;
    const ticks: number[] = [];
    for (let i = 0; i < (n[1] as number); i++) ticks.push(this.deque[((n[0] as number) + i) % this.deque.length] as number);
    return { seen: n[2], ticks, series: this.buffer.snapshot() };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    if (s['series'] !== undefined) this.buffer.restore(s['series']);
    const ticks = s['ticks'];
    this.reset();
    // Earlier versions kept runs, not ticks: the window is read afresh from the buffer.
    if (!Array.isArray(ticks)) {
      if (!Array.isArray(s['runs'])) throw new Error('window snapshot is malformed');
      return;
    }
    if (ticks.length > this.deque.length) throw new Error('window snapshot is malformed');
    const n = this.n;
    n[2] = num(s, 'seen');
    ticks.forEach((t, i) => (this.deque[i] = Number(t)));
    n[1] = ticks.length;
  }

  reset(): void {
    this.n[0] = 0;
    this.n[1] = 0;
    this.n[2] = -1;
  }
}

