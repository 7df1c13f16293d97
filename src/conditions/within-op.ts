import { asRecord, num, type TemporalOp } from './temporal-op.js';

/**
 * within(c, D): true at tick k iff c was true at some tick j with t_k - D <= t_j <= t_k. Both
 * ends are inclusive. Otherwise unknown if c is unknown now, else false.
 */
export class WithinOp implements TemporalOp {

  /**
   * Numeric state in a typed array behind accessors: V8 allocates a heap number when a double
   * lands in an object field, and this runs every tick.
   */
  private readonly n = new Float64Array([-Infinity, 0]);

  private get lastTrue(): number {
    return this.n[0] as number;
  }

  private set lastTrue(v: number) {
    this.n[0] = v;
  }

  private get current(): number {
    return this.n[1] as number;
  }

  private set current(v: number) {
    this.n[1] = v;
  }

  constructor(readonly ticks: number) {}

  eval(c: number, tick: number): number {
    // Event-driven evaluation skips ticks where nothing changed: if c was true at the last
    // evaluation, it stayed true through the previous tick.
    if (this.current === 1 && tick > this.lastTrue) this.lastTrue = tick - 1;
    this.current = c;
    if (c === 1) this.lastTrue = tick;
    if (tick - this.lastTrue <= this.ticks) return 1;
    return c !== c ? NaN : 0;
  }

  nextDue(tick: number): number {
    if (this.current === 1 || this.lastTrue === -Infinity) return Infinity;
    const due = this.lastTrue + this.ticks + 1;
    return due > tick ? due : Infinity;
  }

  snapshot(): unknown {
    return { lastTrue: Number.isFinite(this.lastTrue) ? this.lastTrue : null, current: this.current };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    const last = num(s, 'lastTrue');
    this.lastTrue = Number.isNaN(last) ? -Infinity : last;
    this.current = num(s, 'current');
  }

  reset(): void {
    this.lastTrue = -Infinity;
    this.current = 0;
  }
}
