import type { I2cTimers } from './i2c-timers.js';
import { errnoError } from './i2c-transfer-error.js';

/** How long a transaction may take (waiting for the bus included), and who may cancel it. */
export interface TransactionOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

interface Waiter {
  start(): void;
}

/**
 * Mutual exclusion for one I2C bus: every sensor on the bus shares one lock, and a multi-step
 * transaction (trigger, wait for the conversion, read) holds it from the first step to the last,
 * so two devices' transactions are interleaved whole, never step by step. FIFO.
 *
 * Timeouts: `run` gives up on the caller's behalf after `timeoutMs` (from the call, waiting for
 * the bus included) or when `signal` aborts, rejecting with an `ETIMEDOUT` error (or the abort
 * reason) at once. The transaction is then told, through the AbortSignal handed to `fn`, to take no
 * further step; but the lock stays held until `fn` has actually settled, because an operation the
 * kernel is still executing occupies the bus (a stuck transfer is not overlapped by the next one,
 * and does not pile up in libuv's thread pool). Transactions queued behind it time out in turn.
 */
export class BusLock {
  private busy = false;
  private readonly queue: Waiter[] = [];

  constructor(private readonly timers: I2cTimers) {}

  /** True while a transaction holds the lock (possibly an abandoned one that is still running). */
  get held(): boolean {
    return this.busy;
  }

  /** How many transactions wait for the lock. */
  get waiting(): number {
    return this.queue.length;
  }

  run<T>(fn: (abandoned: AbortSignal) => Promise<T>, options: TransactionOptions): Promise<T> {
    const { timeoutMs, signal } = options;
    return new Promise<T>((resolve, reject) => {
      const ctl = new AbortController();
      let started = false;
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        cancelTimer();
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const giveUp = (reason: Error): void => {
        if (!settle()) return;
        ctl.abort(reason);
        if (!started) this.remove(waiter);
        reject(reason);
      };
      const onAbort = (): void => giveUp(asError(signal?.reason));
      const waiter: Waiter = {
        start: () => {
          started = true;
          void Promise.resolve()
            .then(() => fn(ctl.signal))
            .then(
              (value) => {
                if (settle()) resolve(value);
              },
              (err: unknown) => {
                if (settle()) reject(err);
              },
            )
            .finally(() => this.release());
        },
      };
      const cancelTimer = this.timers.schedule(() => giveUp(timeoutError(started, timeoutMs)), timeoutMs);
      if (signal?.aborted === true) {
        giveUp(asError(signal.reason));
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.acquire(waiter);
    });
  }

  private acquire(waiter: Waiter): void {
    if (this.busy) {
      this.queue.push(waiter);
      return;
    }
    this.busy = true;
    waiter.start();
  }

  private release(): void {
    const next = this.queue.shift();
    if (next === undefined) this.busy = false;
    else next.start();
  }

  private remove(waiter: Waiter): void {
    const i = this.queue.indexOf(waiter);
    if (i >= 0) this.queue.splice(i, 1);
  }
}

function timeoutError(started: boolean, timeoutMs: number): Error {
  return started
    ? errnoError('ETIMEDOUT', `the transaction did not complete within ${timeoutMs} ms (a stuck bus: a device holding SDA or SCL low?)`)
    : errnoError('ETIMEDOUT', `the bus stayed busy for ${timeoutMs} ms (an earlier transfer on it has not completed)`);
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
