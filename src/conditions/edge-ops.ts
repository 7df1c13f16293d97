import { asRecord, num, sameNumber, type TemporalOp } from './temporal-op.js';

/**
 * rose / fell / changed: compare a value with its value at the previous tick. Their output is
 * true for one tick, so they ask to be evaluated again at the next one.
 *
 * Before the first tick the previous value counts as "not true" (initial: fire); with
 * `initial: skip` the first evaluation only records the value, as it does for condition edges.
 */
abstract class PreviousValueOp<T> implements TemporalOp {
  protected started = false;
  private lastOut = 0;

  constructor(
    protected prev: T,
    private readonly initialPrev: T,
    protected readonly skipFirst: boolean,
  ) {}

  protected abstract decide(prev: T, cur: T): boolean;

  eval(cur: T): number {
    const fire = this.started || !this.skipFirst ? this.decide(this.prev, cur) : false;
    this.started = true;
    this.prev = cur;
    this.lastOut = fire ? 1 : 0;
    return this.lastOut;
  }

  nextDue(tick: number): number {
    return this.lastOut === 1 ? tick + 1 : Infinity;
  }

  /** The previous value as plain JSON (NaN and undefined become null). */
  protected abstract encode(v: T): unknown;
  protected abstract decode(v: unknown): T;

  snapshot(): unknown {
    return { prev: this.encode(this.prev), started: this.started, lastOut: this.lastOut };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    this.prev = this.decode(s['prev']);
    this.started = s['started'] === true;
    this.lastOut = num(s, 'lastOut');
  }

  reset(): void {
    this.prev = this.initialPrev;
    this.started = false;
    this.lastOut = 0;
  }
}

abstract class NumberEdgeOp extends PreviousValueOp<number> {
  constructor(skipFirst: boolean) {
    super(NaN, NaN, skipFirst);
  }

  protected encode(v: number): unknown {
    return Number.isNaN(v) ? null : v;
  }

  protected decode(v: unknown): number {
    return v === null ? NaN : Number(v);
  }
}

export class RoseOp extends NumberEdgeOp {
  protected decide(prev: number, cur: number): boolean {
    return cur === 1 && prev !== 1;
  }
}

export class FellOp extends NumberEdgeOp {
  protected decide(prev: number, cur: number): boolean {
    return cur !== 1 && prev === 1;
  }
}

/** changed() has no "not true" baseline: its first evaluation is never a change. */
export class ChangedOp extends NumberEdgeOp {
  protected decide(prev: number, cur: number): boolean {
    return this.started && !sameNumber(prev, cur);
  }
}

/** changed() over strings and JSON values. */
export class ChangedRefOp extends PreviousValueOp<unknown> {
  constructor() {
    super(undefined, undefined, false);
  }

  protected decide(prev: unknown, cur: unknown): boolean {
    // Readings are immutable once stored, so identity settles almost every case cheaply.
    return (
      this.started &&
      !Object.is(prev, cur) &&
      (typeof cur !== 'object' || typeof prev !== 'object' || JSON.stringify(prev) !== JSON.stringify(cur))
    );
  }

  protected encode(v: unknown): unknown {
    return v ?? null;
  }

  protected decode(v: unknown): unknown {
    return v ?? undefined;
  }
}
