import { performance } from 'node:perf_hooks';

/** Cancels a pending callback; calling it after the callback ran, or twice, does nothing. */
export type CancelTimer = () => void;

/**
 * Time as GPIO code sees it (debounce, polling, permission retries, reopen backoff): injected so
 * unit tests drive it by hand instead of waiting on the wall clock.
 *
 * Contract: `nowMs()` is monotonic milliseconds from an arbitrary origin; `after(delayMs, cb)`
 * runs `cb` once, no earlier than the implementation's own clock says (real timers may fire up to
 * ~1 ms early, so code that needs "stable for D" re-checks rather than trusting the timer alone).
 */
export interface GpioTimers {
  nowMs(): number;
  after(delayMs: number, callback: () => void): CancelTimer;
}

/** The real clock and timers (performance.now and setTimeout). */
export function realGpioTimers(): GpioTimers {
  return {
    nowMs: () => performance.now(),
    after: (delayMs, callback) => {
      const timer = setTimeout(callback, Math.max(0, delayMs));
      return () => clearTimeout(timer);
    },
  };
}

/** Resolves after `delayMs` on `timers`. */
export function sleepMs(timers: GpioTimers, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    timers.after(delayMs, resolve);
  });
}
