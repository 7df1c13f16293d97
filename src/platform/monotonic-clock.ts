import { performance } from 'node:perf_hooks';

/**
 * The real monotonic clock (never the wall clock, which NTP and the RTC-less Pi move around).
 * Used only to pace `sim --speed X` and, later, the live tick loop.
 */
export class MonotonicClock {
  private readonly originMs = performance.now();

  /** Microseconds since this clock was created. */
  nowUs(): number {
    return (performance.now() - this.originMs) * 1000;
  }

  /**
   * Resolves at or after `targetUs`. setTimeout can fire ~1 ms early, so re-check and sleep
   * again rather than trusting it.
   */
  async sleepUntil(targetUs: number): Promise<void> {
    for (;;) {
      const leftMs = (targetUs - this.nowUs()) / 1000;
      if (leftMs <= 0) return;
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(leftMs))));
    }
  }
}
