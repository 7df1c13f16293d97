import { asRecord, type TemporalOp } from './temporal-op.js';

/**
 * seq(e1, ..., en, D) (SPEC §4.3). Step i occurs at tick k when rose(ei) holds at k. A match is
 * ticks k1 < ... < kn with step i at ki and t_kn - t_k1 <= D; seq is true exactly at the tick a
 * match completes, and the occurrences of a completed match are consumed.
 *
 * State: for each prefix length i, the partial match with steps 1..i done and the latest start
 * (a later start can do all an earlier one could, and expires later), kept as its full chain of
 * occurrence ticks. Steps are processed from the last to the first at each tick, so a step never
 * uses an occurrence of an earlier step at the same tick (strictly increasing). When a match
 * completes, every partial match whose chain shares one of its occurrences (same expression, same
 * tick) is dropped, so no occurrence serves twice: seq(A, A, A) over rises at 1, 3, 5, 7, 9, 11
 * matches at 5 and 11.
 */
export class SeqOp implements TemporalOp {
  /** Row i: the occurrence ticks of the partial match at level i (steps 0..i). */
  private readonly chains: Float64Array;
  private readonly valid: Uint8Array;
  private readonly prev: Float64Array;
  private readonly cur: Float64Array;
  private lastOut = 0;

  /**
   * @param steps number of steps
   * @param ticks the largest allowed k_n - k_1, in ticks
   * @param stepKeys per step, an id of its expression: steps with equal ids are the same expression,
   *   so they share occurrences
   */
  constructor(
    private readonly steps: number,
    private readonly ticks: number,
    private readonly stepKeys: readonly number[],
  ) {
    this.chains = new Float64Array(steps * steps);
    this.valid = new Uint8Array(steps);
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
      // The completing occurrence at this tick is consumed: the same expression cannot also
      // serve as another step at this tick.
      if (out === 1 && this.stepKeys[i] === this.stepKeys[n - 1]) continue;
      if (i === 0) {
        this.chains[0] = tick;
        this.valid[0] = 1;
        continue;
      }
      if (this.valid[i - 1] === 0) continue;
      const start = this.chains[(i - 1) * n] ?? 0;
      if (tick - start > this.ticks) continue;
      if (i === n - 1) {
        this.complete(tick);
        out = 1;
      } else if (this.valid[i] === 0 || start > (this.chains[i * n] ?? 0)) {
        this.chains.copyWithin(i * n, (i - 1) * n, (i - 1) * n + i);
        this.chains[i * n + i] = tick;
        this.valid[i] = 1;
      }
    }
    this.lastOut = out;
    return out;
  }

  /** The match is partial n-2 plus the last step at `tick`; drop every partial that shares an occurrence. */
  private complete(tick: number): void {
    const n = this.steps;
    const m = (n - 2) * n;
    for (let level = 0; level < n - 1; level++) {
      if (this.valid[level] === 0) continue;
      if (level === n - 2 || this.sharesOccurrence(level, m, tick)) this.valid[level] = 0;
    }
  }

  private sharesOccurrence(level: number, matchRow: number, lastTick: number): boolean {
    const n = this.steps;
    for (let a = 0; a <= level; a++) {
      const t = this.chains[level * n + a];
      const key = this.stepKeys[a];
      for (let b = 0; b < n; b++) {
        const mt = b === n - 1 ? lastTick : this.chains[matchRow + b];
        if (mt === t && this.stepKeys[b] === key) return true;
      }
    }
    return false;
  }

  nextDue(tick: number): number {
    return this.lastOut === 1 ? tick + 1 : Infinity;
  }

  snapshot(): unknown {
    return {
      chains: Array.from(this.chains),
      valid: Array.from(this.valid),
      prev: Array.from(this.prev, (v) => (Number.isNaN(v) ? null : v)),
      lastOut: this.lastOut,
    };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    const { chains, valid, prev } = s;
    if (!Array.isArray(chains) || !Array.isArray(valid) || !Array.isArray(prev)) throw new Error('seq snapshot is malformed');
    chains.forEach((v, i) => (this.chains[i] = Number(v)));
    valid.forEach((v, i) => (this.valid[i] = Number(v)));
    prev.forEach((v, i) => (this.prev[i] = v === null ? NaN : Number(v)));
    this.lastOut = Number(s['lastOut']);
  }

  reset(): void {
    this.valid.fill(0);
    this.prev.fill(NaN);
    this.lastOut = 0;
  }
}
