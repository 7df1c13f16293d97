import { SensorFault } from '../live/source.js';
import type { TransactionOptions } from './bus-lock.js';
import type { I2cDriver, I2cReading } from './drivers/driver.js';
import { describePlace, i2cFault, type I2cPlace } from './i2c-fault.js';
import type { I2cPolicy } from './i2c-policy.js';
import type { I2cTimers } from './i2c-timers.js';
import type { I2cTransaction } from './i2c-transaction.js';

/** Runs locked transactions on a bus (implemented by I2cBuses). */
export interface I2cTransactionRunner {
  transaction<T>(busNumber: number, address: number, fn: (tx: I2cTransaction) => Promise<T>, options: TransactionOptions): Promise<T>;
  /** The bus failed as a whole (ENODEV, EBADF, ...): close and reopen it before its next transaction. */
  invalidate(busNumber: number): void;
}

/** A measurement, numbered so a sensor can tell one it already had from a new one. */
export interface SharedReading {
  readonly seq: number;
  readonly reading: I2cReading;
}

/**
 * One physical device (bus, address, driver settings), shared by every sensor that reads a field
 * of it. It probes once, takes measurements under the bus lock, shares a fresh measurement among
 * its sensors, and owns the retry policy:
 * - every failure is a SensorFault (see i2c-fault.ts); nothing is thrown synchronously;
 * - after `failuresBeforeBackoff` consecutive failures it backs off: reads reject at once with the
 *   last fault, without touching the bus, until the backoff (1 s, doubling to 60 s by default)
 *   has passed; then the next read re-probes the device before measuring. A good measurement
 *   resets the count and the delay. Backoff needs no timer (it compares against the clock at the
 *   next read), so there is nothing left running after `close()`.
 */
export class I2cDevice {
  private ready = false;
  private closed = false;
  private opening: Promise<void> | undefined;
  private inflight: Promise<SharedReading> | undefined;
  private last: { readonly seq: number; readonly atMs: number; readonly reading: I2cReading } | undefined;
  private seq = 0;
  private failures = 0;
  private delayMs: number;
  private retryAtMs: number | undefined;
  private lastFault: SensorFault | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly runner: I2cTransactionRunner,
    readonly place: I2cPlace,
    private readonly driver: I2cDriver,
    private readonly policy: I2cPolicy,
    private readonly timers: I2cTimers,
  ) {
    this.delayMs = policy.backoffInitialMs;
  }

  /** The fields the device offers; meaningful once `open` has succeeded. */
  fields(): readonly string[] {
    return this.driver.fields();
  }

  /** Consecutive failures so far (for health reporting and tests). */
  get failureCount(): number {
    return this.failures;
  }

  /** Probes and configures the device, once; concurrent calls share the attempt. */
  open(): Promise<void> {
    if (this.ready) return Promise.resolve();
    this.opening ??= this.openNow().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /**
   * A measurement: the one in progress if any, else the latest if it is recent (`shareMs`) and
   * not the one numbered `seenSeq`, else a new one.
   */
  measure(seenSeq?: number): Promise<SharedReading> {
    if (this.inflight !== undefined) return this.inflight;
    const last = this.last;
    if (last !== undefined && last.seq !== seenSeq && this.timers.nowMs() - last.atMs <= this.policy.shareMs) {
      return Promise.resolve({ seq: last.seq, reading: last.reading });
    }
    this.inflight = this.measureNow().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Abandons any transaction in progress (it takes no further step). Never rejects. */
  close(): Promise<void> {
    this.closed = true;
    this.abort.abort(new Error('the sensor was closed'));
    return Promise.resolve();
  }

  private async openNow(): Promise<void> {
    this.checkOpen();
    try {
      await this.run((tx) => this.driver.open(tx));
      this.ready = true;
    } catch (err) {
      throw this.failed(err);
    }
  }

  private async measureNow(): Promise<SharedReading> {
    this.checkOpen();
    const now = this.timers.nowMs();
    if (this.retryAtMs !== undefined && now < this.retryAtMs && this.lastFault !== undefined) {
      const f = this.lastFault;
      const waitS = Math.ceil((this.retryAtMs - now) / 1000);
      throw new SensorFault(f.status, f.code, `${f.message} (backing off after ${this.failures} failures: next attempt in ${waitS} s)`);
    }
    if (!this.ready) await this.open();
    let reading: I2cReading;
    try {
      reading = await this.run((tx) => this.driver.measure(tx));
    } catch (err) {
      throw this.failed(err);
    }
    this.failures = 0;
    this.delayMs = this.policy.backoffInitialMs;
    this.retryAtMs = undefined;
    this.lastFault = undefined;
    this.seq += 1;
    this.last = { seq: this.seq, atMs: this.timers.nowMs(), reading };
    return { seq: this.seq, reading };
  }

  private run<T>(fn: (tx: I2cTransaction) => Promise<T>): Promise<T> {
    const { busNumber, address } = this.place;
    return this.runner.transaction(busNumber, address, fn, { timeoutMs: this.policy.transactionTimeoutMs, signal: this.abort.signal });
  }

  private checkOpen(): void {
    if (this.closed) throw new SensorFault('error', 'SPATIA_SENSOR_ERROR', `${describePlace(this.place)}: the sensor was closed`);
  }

  /** Records a failure (counting it towards backoff) and returns it as a SensorFault. */
  private failed(err: unknown): SensorFault {
    const fault = i2cFault(err, this.place);
    if (this.closed) return fault;
    this.lastFault = fault;
    this.failures += 1;
    if (fault.code === 'SPATIA_I2C_BUS') this.runner.invalidate(this.place.busNumber);
    if (this.failures >= this.policy.failuresBeforeBackoff) {
      // Whatever is wrong may have reset or replaced the chip: probe it again before trusting it.
      this.ready = false;
      this.retryAtMs = this.timers.nowMs() + this.delayMs;
      this.delayMs = Math.min(this.delayMs * 2, this.policy.backoffMaxMs);
    }
    return fault;
  }
}
