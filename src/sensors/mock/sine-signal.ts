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
    const p = this.periodUs;
    const inPeriodUs = (((tUs + this.phaseUs) % p) + p) % p;
    return this.mean + this.amplitude * Math.sin((2 * Math.PI * inPeriodUs) / p);
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}
