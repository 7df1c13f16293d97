import { asRecord, type TemporalOp } from './temporal-op.js';

/**
 * seq(e1, ..., en, D) (SPEC §4.3). Step i occurs at tick k when rose(ei) holds at k. A match is
 * ticks k1 < ... < kn with step i at ki and t_kn - t_k1 <= D; seq is true exactly at the tick a
 * match completes, and the occurrences of a completed match are consumed.
 *
 * State: for each prefix length i, the start tick of the partial match that has completed steps
 * 1..i with the latest start (a later start can always do what an earlier one could, and more,
 * because it expires later). Steps are processed from the last to the first at each tick so a
 * step can never use an occurrence of an earlier step at the same tick (strictly increasing).
 */
export class SeqOp implements TemporalOp {
  /** partial[i] = start tick of the best partial match with steps 0..i done, or -1. */
  private readonly partial: Float64Array;
  private readonly prev: Float64Array;
  private readonly cur: Float64Array;
  private lastOut = 0;

  /**
   * @param steps number of steps
   * @param ticks the largest allowed k_n - k_1
   * @param sameAsLast per step: true when that step's expression is the last step's, so an
   *   occurrence consumed by a completed match cannot also start or extend another
   */
  constructor(
    private readonly steps: number,
    private readonly ticks: number,
    private readonly sameAsLast: readonly boolean[],
  ) {
    this.partial = new Float64Array(steps).fill(-1);
    this.prev = new Float64Array(steps).fill(NaN);
    this.cur = new Float64Array(steps);
  }

  /** Records the value of step i's expression at this tick; call for every step, then `eval`. */
  set(i: number, value: number): void {
    this.cur[i] = value;
  }

  eval(tick: number): number {
    const n = this.steps;
    let out = 0;
    for (let i = n - 1; i >= 0; i--) {
      const rose = this.cur[i] === 1 && this.prev[i] !== 1;
      this.prev[i] = this.cur[i] ?? NaN;
      if (!rose) continue;
      if (out === 1 && this.sameAsLast[i] === true) continue;
      if (i === 0) {
        this.partial[0] = tick;
        if (n === 1) out = this.complete(tick);
        continue;
      }
      const start = this.partial[i - 1] ?? -1;
      if (start < 0 || tick - start > this.ticks) continue;
      if (i === n - 1) {
        out = this.complete(start);
      } else if (start > (this.partial[i] ?? -1)) {
        this.partial[i] = start;
      }
    }
    this.lastOut = out;
    return out;
  }

  private complete(start: number): number {
    for (let j = 0; j < this.steps; j++) if ((this.partial[j] ?? -1) <= start) this.partial[j] = -1;
    return 1;
  }

  nextDue(tick: number): number {
    return this.lastOut === 1 ? tick + 1 : Infinity;
  }

  snapshot(): unknown {
    return {
      partial: Array.from(this.partial),
      prev: Array.from(this.prev, (v) => (Number.isNaN(v) ? null : v)),
      lastOut: this.lastOut,
    };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    const partial = s['partial'];
    const prev = s['prev'];
    if (!Array.isArray(partial) || !Array.isArray(prev)) throw new Error('seq snapshot is malformed');
    partial.forEach((v, i) => (this.partial[i] = Number(v)));
    prev.forEach((v, i) => (this.prev[i] = v === null ? NaN : Number(v)));
    this.lastOut = Number(s['lastOut']);
  }

  reset(): void {
    this.partial.fill(-1);
    this.prev.fill(NaN);
    this.lastOut = 0;
  }
}
