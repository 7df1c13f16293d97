import type { Filter } from './filter.js';
import { FilterState } from './filter-state.js';

/**
 * `exponential_moving_average`: `s = alpha * value + (1 - alpha) * s`, the first reading passing
 * through unchanged. Written in this form (not `s + alpha * (value - s)`) so `alpha: 1` returns
 * each reading bit for bit. Per reading, not per unit of time: `alpha` assumes a steady rate.
 *
 * @throws Error when `alpha` is not in (0, 1].
 */
export class ExponentialMovingAverageFilter implements Filter {
  private average: number | null = null;

  constructor(private readonly alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new Error(`exponential_moving_average alpha must be in (0, 1], got ${alpha}`);
  }

  push(value: number): number {
    this.average = this.average === null ? value : this.alpha * value + (1 - this.alpha) * this.average;
    return this.average;
  }

  idle(): undefined {
    return undefined;
  }

  snapshot(): { average: number | null } {
    return { average: this.average };
  }

  restore(state: unknown): void {
    this.average = new FilterState(state, 'exponential_moving_average').numberOrNull('average');
  }
}
