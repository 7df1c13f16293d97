import { performance } from 'node:perf_hooks';
import type { Clock } from './clock.js';

/** Below this much time left, `sleepUntil` stops trusting setTimeout and yields until due. */
const DEFAULT_SPIN_US = 1_500;

/**
 * The real monotonic clock (never the wall clock, which NTP and the RTC-less Pi move around).
 * Paces `sim --speed X` and the live tick loop of `spatia run`.
 */
export class MonotonicClock implements Clock {
  private readonly originMs = performance.now();

  /**
   * @param spinUs the last stretch before a target that is waited out by yielding to the event
   *   loop (setImmediate) rather than by setTimeout, which has 1 ms granularity and can fire up
   *   to ~1.6 ms early or late. 0 disables it (cheapest CPU, ~1-2 ms lateness); the default
   *   keeps tick lateness well under 1 ms at the cost of a short busy wait per tick. I/O
   *   callbacks still run during the wait, because every turn goes through the event loop.
   */
  constructor(private readonly spinUs = DEFAULT_SPIN_US) {}

  /** Microseconds since this clock was created. */
  nowUs(): number {
    return (performance.now() - this.originMs) * 1000;
  }

  async sleepUntil(targetUs: number): Promise<void> {
    for (;;) {
      const leftUs = targetUs - this.nowUs();
      if (leftUs <= 0) return;
      if (leftUs <= this.spinUs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      // Wake a little early on purpose (the spin covers the rest); without a spin window, wake
      // late rather than early and re-check.
      const ms = this.spinUs > 0 ? Math.floor((leftUs - this.spinUs) / 1000) : Math.ceil(leftUs / 1000);
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, ms)));
    }
  }
}
