import type { Filter } from './filter.js';
import { FilterState } from './filter-state.js';

/**
 * `throttle: interval`: passes at most one reading per `intervalUs`. The first passes; a later one
 * passes when `tUs >= lastPassedUs + intervalUs`; others are dropped (`undefined`). Measured from
 * the last reading passed, so the spacing between passed readings is never below the interval.
 *
 * @throws Error when `intervalUs` is negative or not a number.
 */
export class ThrottleFilter implements Filter {
  private lastPassedUs: number | null = null;

  constructor(private readonly intervalUs: number) {
    if (!(intervalUs >= 0)) throw new Error(`throttle interval must be >= 0, got ${intervalUs} us`);
  }

  push(value: number, tUs: number): number | undefined {
    if (this.lastPassedUs !== null && tUs < this.lastPassedUs + this.intervalUs) return undefined;
    this.lastPassedUs = tUs;
    return value;
  }

  idle(): undefined {
    return undefined;
  }

  snapshot(): { lastPassedUs: number | null } {
    return { lastPassedUs: this.lastPassedUs };
  }

  restore(state: unknown): void {
    this.lastPassedUs = new FilterState(state, 'throttle').numberOrNull('lastPassedUs');
  }
}
