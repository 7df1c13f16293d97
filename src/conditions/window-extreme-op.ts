import type { SeriesBuffer } from './series-buffer.js';
import { asRecord, num, type TemporalOp } from './temporal-op.js';

/**
 * min / max over a window: a monotonic deque of runs (O(1) amortised per tick). Unknown runs
 * never enter the deque, so they are skipped; an empty deque means no known sample: unknown.
 */
export class WindowExtremeOp implements TemporalOp {
  private readonly deque: Float64Array;
  private head = 0;
  private tail = 0;
  private seen = -1;

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

  /** Call after `buffer.record(tick, x)`. */
  eval(tick: number): number {
    const b = this.buffer;
    for (let r = Math.max(this.seen + 1, b.first); r < b.count; r++) {
      const v = b.valueOf(r);
      if (v !== v) continue;
      while (this.tail > this.head) {
        const back = b.valueOf(this.at(this.tail - 1));
        if (this.isMax ? back > v : back < v) break;
        this.tail--;
      }
      this.deque[this.tail % this.deque.length] = r;
      this.tail++;
    }
    this.seen = b.count - 1;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    while (this.tail > this.head && b.endOf(this.at(this.head)) < ws) this.head++;
    return this.tail > this.head ? b.valueOf(this.at(this.head)) : NaN;
  }

  nextDue(tick: number): number {
    const b = this.buffer;
    const ws = Math.max(b.origin, tick - this.windowTicks + 1);
    return b.startOf(b.count - 1) <= ws ? Infinity : tick + 1;
  }

  snapshot(): unknown {
    const runs: number[] = [];
    for (let i = this.head; i < this.tail; i++) runs.push(this.at(i));
    return { seen: this.seen, runs };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    const runs = s['runs'];
    if (!Array.isArray(runs)) throw new Error('window snapshot is malformed');
    this.seen = num(s, 'seen');
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
