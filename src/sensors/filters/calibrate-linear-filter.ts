import type { Filter } from './filter.js';

/** `calibrate_linear: {slope, offset}`: `value * slope + offset`. Stateless. */
export class CalibrateLinearFilter implements Filter {
  constructor(
    private readonly slope: number,
    private readonly offset: number,
  ) {}

  push(value: number): number {
    return value * this.slope + this.offset;
  }

  idle(): undefined {
    return undefined;
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}
