import type { Filter } from './filter.js';
import { FilterState } from './filter-state.js';

/**
 * `delta: minChange`: passes a reading only when it differs from the last reading passed by at
 * least `minChange` (the first always passes); otherwise drops it (`undefined`). Comparing with
 * the last value passed, not the last one seen, means a slow creep still gets through once it
 * adds up to `minChange`.
 *
 * @throws Error when `minChange` is negative or not a number.
 */
export class DeltaFilter implements Filter {
  private lastPassed: number | null = null;

  constructor(private readonly minChange: number) {
    if (!(minChange >= 0)) throw new Error(`delta minimum change must be >= 0, got ${minChange}`);
  }

  push(value: number): number | undefined {
    if (this.lastPassed !== null && Math.abs(value - this.lastPassed) < this.minChange) return undefined;
    this.lastPassed = value;
    return value;
  }

  idle(): undefined {
    return undefined;
  }

  snapshot(): { lastPassed: number | null } {
    return { lastPassed: this.lastPassed };
  }

  restore(state: unknown): void {
    this.lastPassed = new FilterState(state, 'delta').numberOrNull('lastPassed');
  }
}
