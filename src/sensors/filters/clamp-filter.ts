import type { Filter } from './filter.js';

/**
 * `clamp: [min, max]`: limits each reading to [min, max]. Stateless.
 *
 * @throws Error when min > max.
 */
export class ClampFilter implements Filter {
  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    if (!(min <= max)) throw new Error(`clamp min (${min}) must not exceed max (${max})`);
  }

  push(value: number): number {
    return Math.min(this.max, Math.max(this.min, value));
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
