import { asRecord, num, type TemporalOp } from './temporal-op.js';

/**
 * held(c, D): true at tick k iff c is true at k and has been true at every tick since a tick j
 * with t_k - t_j >= D (SPEC §4.3). An unknown c breaks the run; the result is then unknown.
 */
export class HeldOp implements TemporalOp {
  private runStart = -1;

  constructor(readonly ticks: number) {}

  eval(c: number, tick: number): number {
    if (c === 1) {
      if (this.runStart < 0) this.runStart = tick;
      return tick - this.runStart >= this.ticks ? 1 : 0;
    }
    this.runStart = -1;
    return c !== c ? NaN : 0;
  }

  nextDue(tick: number): number {
    if (this.runStart < 0) return Infinity;
    const due = this.runStart + this.ticks;
    return due > tick ? due : Infinity;
  }

  snapshot(): unknown {
    return { runStart: this.runStart };
  }

  restore(state: unknown): void {
    this.runStart = num(asRecord(state), 'runStart');
  }

  reset(): void {
    this.runStart = -1;
  }
}
