import type { Signal } from './signal.js';

/**
 * `square: {low, high, period, duty}`: `high` for the first `duty` fraction of each period and
 * `low` for the rest. The high part is rounded once to whole microseconds and the position in the
 * period is `t mod period` in integers, so edges land exactly on tick times: with period 1s and
 * duty 0.5 the value is high on [0, 500000) µs and low on [500000, 1000000) µs. Stateless.
 *
 * @throws Error when `periodUs` is not a positive integer or `duty` is outside [0, 1].
 */
export class SquareSignal implements Signal {
  private readonly highUs: number;

  constructor(
    private readonly low: number,
    private readonly high: number,
    private readonly periodUs: number,
    duty: number,
  ) {
    if (!Number.isSafeInteger(periodUs) || periodUs <= 0) {
      throw new Error(`square period must be a positive whole number of microseconds, got ${periodUs}`);
    }
    if (!(duty >= 0 && duty <= 1)) throw new Error(`square duty must be between 0 and 1, got ${duty}`);
    this.highUs = Math.round(duty * periodUs);
  }

  valueAt(tUs: number): number {
    const p = this.periodUs;
    const inPeriodUs = ((tUs % p) + p) % p;
    return inPeriodUs < this.highUs ? this.high : this.low;
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}
