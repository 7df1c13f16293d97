import type { Filter } from './filter.js';
import { FilterState } from './filter-state.js';

/**
 * `timeout: {after, value}`: readings pass through unchanged. When no reading has arrived for
 * `afterUs` (measured from the last push, or from t = 0 before any), the first idle tick at or past
 * that point returns `value` (or `NaN`, unknown, when no value is configured); later idle ticks
 * return `undefined` until the next push re-arms it. Firing once keeps the sensor's value from
 * being rewritten every tick.
 *
 * @throws Error when `afterUs` is negative or not a number.
 */
export class TimeoutFilter implements Filter {
  private lastPushUs = 0;
  private fired = false;

  constructor(
    private readonly afterUs: number,
    private readonly value: number | undefined,
  ) {
    if (!(afterUs >= 0)) throw new Error(`timeout duration must be >= 0, got ${afterUs} us`);
  }

  push(value: number, tUs: number): number {
    this.lastPushUs = tUs;
    this.fired = false;
    return value;
  }

  idle(tUs: number): number | undefined {
    if (this.fired || tUs - this.lastPushUs < this.afterUs) return undefined;
    this.fired = true;
    return this.value ?? NaN;
  }

  snapshot(): { lastPushUs: number; fired: boolean } {
    return { lastPushUs: this.lastPushUs, fired: this.fired };
  }

  restore(state: unknown): void {
    const s = new FilterState(state, 'timeout');
    this.lastPushUs = s.number('lastPushUs');
    this.fired = s.boolean('fired');
  }
}
