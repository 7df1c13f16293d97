import { type Frame, ReadStatus } from '../../core/frame.js';
import { type SampleTime, sampleTime } from './sample-time.js';
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
    return this.isHigh(sampleTime(tUs)) ? this.high : this.low;
  }

  writeTo(at: SampleTime, frame: Frame, index: number): ReadStatus {
    frame.num[index] = this.isHigh(at) ? this.high : this.low;
    return ReadStatus.Ok;
  }

  /** A boolean, not the level: a double returned from a call V8 does not inline is boxed. */
  private isHigh(at: SampleTime): boolean {
    const p = this.periodUs;
    const inPeriodUs = (((at[0] as number) % p) + p) % p;
    return inPeriodUs < this.highUs;
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}
