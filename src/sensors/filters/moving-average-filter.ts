import type { Filter } from './filter.js';
import { FilterState } from './filter-state.js';
import { SampleWindow, type SampleWindowState } from './sample-window.js';

/**
 * `moving_average`: the arithmetic mean of the last `samples` readings and/or of the readings with
 * `tUs > now - windowUs` (the one just pushed always counts). The sum is recomputed over the window
 * on every push, oldest first: windows are small, and the result then depends only on the samples
 * held, so it cannot drift and is bit-identical after a restore.
 *
 * @throws Error when neither `samples` nor `windowUs` is given or one is out of range.
 */
export class MovingAverageFilter implements Filter {
  private readonly window: SampleWindow;

  constructor(samples: number | undefined, windowUs: number | undefined) {
    this.window = new SampleWindow(samples, windowUs);
  }

  push(value: number, tUs: number): number {
    this.window.push(value, tUs);
    return this.window.sum() / this.window.length;
  }

  idle(): undefined {
    return undefined;
  }

  snapshot(): { window: SampleWindowState } {
    return { window: this.window.snapshot() };
  }

  restore(state: unknown): void {
    this.window.restore(new FilterState(state, 'moving_average').raw('window'));
  }
}
