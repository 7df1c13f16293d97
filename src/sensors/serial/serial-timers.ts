/** Cancels a pending callback; calling it after the callback ran, or twice, does nothing. */
export type CancelTimer = () => void;

/**
 * Time as the serial source sees it (reopen backoff, the data-silence watchdog): injected so unit
 * tests run the timers by hand instead of waiting on the wall clock.
 *
 * Contract: `after(delayMs, cb)` runs `cb` once, roughly `delayMs` later (real timers may fire a
 * millisecond early; nothing here depends on more precision than that).
 */
export interface SerialTimers {
  after(delayMs: number, callback: () => void): CancelTimer;
}

/** The real timers (setTimeout). */
export function realSerialTimers(): SerialTimers {
  return {
    after: (delayMs, callback) => {
      const timer = setTimeout(callback, Math.max(0, delayMs));
      return () => clearTimeout(timer);
    },
  };
}
