import { asRecord, num, sameNumber, type TemporalOp } from './temporal-op.js';

/**
 * rose / fell / changed: compare a value with its value at the previous tick. Their output is
 * true for one tick, so they ask to be evaluated again at the next one.
 *
 * Before the first tick the previous value counts as "not true" (initial: fire); with
 * `initial: skip` the first evaluation only records the value, as it does for condition edges.
 */
abstract class PreviousValueOp implements TemporalOp {
  protected prev = NaN;
  protected started = false;
  private lastOut = 0;

  constructor(protected readonly skipFirst: boolean) {}

  protected abstract decide(prev: number, cur: number): boolean;

  eval(cur: number): number {
    const fire = this.started || !this.skipFirst ? this.decide(this.prev, cur) : false;
    this.started = true;
    this.prev = cur;
    this.lastOut = fire ? 1 : 0;
    return this.lastOut;
  }

  nextDue(tick: number): number {
    return this.lastOut === 1 ? tick + 1 : Infinity;
  }

  snapshot(): unknown {
    return { prev: Number.isNaN(this.prev) ? null : this.prev, started: this.started, lastOut: this.lastOut };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    this.prev = num(s, 'prev');
    this.started = s['started'] === true;
    this.lastOut = num(s, 'lastOut');
  }

  reset(): void {
    this.prev = NaN;
    this.started = false;
    this.lastOut = 0;
  }
}

export class RoseOp extends PreviousValueOp {
  protected decide(prev: number, cur: number): boolean {
    return cur === 1 && prev !== 1;
  }
}

export class FellOp extends PreviousValueOp {
  protected decide(prev: number, cur: number): boolean {
    return cur !== 1 && prev === 1;
  }
}

/** changed() has no "not true" baseline: its first evaluation is never a change. */
export class ChangedOp extends PreviousValueOp {
  protected decide(prev: number, cur: number): boolean {
    return this.started && !sameNumber(prev, cur);
  }
}

/** changed() over strings and JSON values: compares by identity of the stored reading. */
export class ChangedRefOp implements TemporalOp {
  private prev: unknown = undefined;
  private started = false;
  private lastOut = 0;

  eval(cur: unknown): number {
    // Readings are immutable once stored, so identity settles almost every case cheaply.
    const fire =
      this.started &&
      !Object.is(this.prev, cur) &&
      (typeof cur !== 'object' || typeof this.prev !== 'object' || JSON.stringify(this.prev) !== JSON.stringify(cur));
    this.started = true;
    this.prev = cur;
    this.lastOut = fire ? 1 : 0;
    return this.lastOut;
  }

  nextDue(tick: number): number {
    return this.lastOut === 1 ? tick + 1 : Infinity;
  }

  snapshot(): unknown {
    return { prev: this.prev ?? null, started: this.started, lastOut: this.lastOut };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    this.prev = s['prev'] ?? undefined;
    this.started = s['started'] === true;
    this.lastOut = num(s, 'lastOut');
  }

  reset(): void {
    this.prev = undefined;
    this.started = false;
    this.lastOut = 0;
  }
}
