import { type Frame, ReadStatus } from '../../core/frame.js';
import { type SampleTime, sampleTime } from './sample-time.js';
import type { Signal } from './signal.js';

/**
 * `sine: {mean, amplitude, period, phase}`: `mean + amplitude * sin(2π (t + phase) / period)`.
 * `t + phase` is reduced modulo the period in integer microseconds before the division, so the
 * value a day into a run is as exact as in its first period. Stateless.
 *
 * @throws Error when `periodUs` is not a positive integer.
 */
export class SineSignal implements Signal {
  constructor(
    private readonly mean: number,
    private readonly amplitude: number,
    private readonly periodUs: number,
    private readonly phaseUs: number,
  ) {
    if (!Number.isSafeInteger(periodUs) || periodUs <= 0) {
      throw new Error(`sine period must be a positive whole number of microseconds, got ${periodUs}`);
    }
  }

  valueAt(tUs: number): number {
    const out = new Float64Array(1);
    this.compute(sampleTime(tUs), out, 0);
    return out[0] as number;
  }

  writeTo(at: SampleTime, frame: Frame, index: number): ReadStatus {
    this.compute(at, frame.num, index);
    return ReadStatus.Ok;
  }

  /** The one formula. Stores the value rather than returning it, so that no call boxes it. */
  private compute(at: SampleTime, out: Float64Array, index: number): void {
    const p = this.periodUs;
    const inPeriodUs = ((((at[0] as number) + this.phaseUs) % p) + p) % p;
    out[index] = this.mean + this.amplitude * Math.sin((2 * Math.PI * inPeriodUs) / p);
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}
