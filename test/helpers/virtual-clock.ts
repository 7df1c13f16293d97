import type { Clock } from '../../src/platform/clock.js';

/**
 * A clock for tests of timing code: time moves only when the test (or the code under test, through
 * `sleepUntil`) moves it. `sleepUntil` jumps straight to its target, as if the sleep had taken
 * exactly that long; `advance` stands for work that takes time.
 */
export class VirtualClock implements Clock {
  constructor(public now = 0) {}

  nowUs(): number {
    return this.now;
  }

  advance(us: number): void {
    this.now += us;
  }

  sleepUntil(targetUs: number): Promise<void> {
    if (targetUs > this.now) this.now = targetUs;
    return Promise.resolve();
  }
}
