import { performance } from 'node:perf_hooks';

/**
 * Time for the I2C layer: the waits inside a transaction (a conversion time), transaction
 * timeouts and the backoff clock. Injected so tests run on a virtual clock.
 *
 * Contract: `nowMs()` is monotonic (never the wall clock). `schedule(fn, ms)` calls `fn` once,
 * no earlier than `ms` later on that clock, unless the returned cancel function was called first;
 * cancelling twice or after it fired is harmless.
 */
export interface I2cTimers {
  nowMs(): number;
  schedule(fn: () => void, ms: number): () => void;
}

/** The real timers: performance.now() and setTimeout. */
export function systemI2cTimers(): I2cTimers {
  return {
    nowMs: () => performance.now(),
    schedule: (fn, ms) => {
      // setTimeout may fire ~1 ms early (DESIGN.md): a conversion wait rounded up by 1 ms is
      // always long enough.
      const handle = setTimeout(fn, Math.max(0, Math.ceil(ms)) + 1);
      return () => clearTimeout(handle);
    },
  };
}
