import { BusLock, type TransactionOptions } from './bus-lock.js';
import { ADS1115_DEFAULT_GAIN } from './drivers/ads1115.js';
import { createDriver, type I2cDriverSettings } from './drivers/create-driver.js';
import type { I2cBus, I2cBusOpener } from './i2c-bus.js';
import { openI2cBus } from './i2c-bus-adapter.js';
import { I2cDevice, type I2cTransactionRunner } from './i2c-device.js';
import { DEFAULT_I2C_POLICY, type I2cPolicy } from './i2c-policy.js';
import { systemI2cTimers, type I2cTimers } from './i2c-timers.js';
import { createTransaction, type I2cTransaction } from './i2c-transaction.js';
import { errnoError } from './i2c-transfer-error.js';

/** Injectable parts of {@link I2cBuses}; each has a real default. */
export interface I2cBusesOptions {
  /** Opens bus N. Default: the real i2c-bus adapter (which checks /dev/i2c-N first). */
  readonly openBus?: I2cBusOpener;
  readonly timers?: I2cTimers;
  readonly policy?: Partial<I2cPolicy>;
}

/** Which device a sensor reads: its bus, address and driver settings. */
export interface I2cDeviceSpec extends I2cDriverSettings {
  readonly busNumber: number;
  readonly address: number;
}

interface BusEntry {
  readonly lock: BusLock;
  bus: I2cBus | undefined;
  stale: boolean;
  devices: number;
  /** Removed from the registry: a bus it opens late must be closed at once. */
  closed: boolean;
}

/**
 * The I2C buses and devices of one run: create one per run and hand it to every i2c source.
 * - Each bus is opened once, on its first transaction, and closed when its last device is
 *   released; a bus that failed as a whole is reopened on its next transaction.
 * - Each bus has one {@link BusLock}, shared by every device on it.
 * - Sensors that read the same device (same bus, address and settings) share one
 *   {@link I2cDevice}: one probe, one measurement per tick, one backoff state.
 */
export class I2cBuses implements I2cTransactionRunner {
  private readonly buses = new Map<number, BusEntry>();
  private readonly devices = new Map<string, { readonly device: I2cDevice; refs: number }>();
  private readonly openBus: I2cBusOpener;
  private readonly timers: I2cTimers;
  private readonly policy: I2cPolicy;

  constructor(options: I2cBusesOptions = {}) {
    this.openBus = options.openBus ?? ((n) => openI2cBus(n));
    this.timers = options.timers ?? systemI2cTimers();
    this.policy = { ...DEFAULT_I2C_POLICY, ...options.policy };
  }

  /**
   * The shared device for `spec` (created on first use), or a message when the settings name no
   * driver. Every successful call must be matched by {@link releaseDevice}.
   */
  acquireDevice(spec: I2cDeviceSpec): I2cDevice | string {
    const key = deviceKey(spec);
    const known = this.devices.get(key);
    if (known !== undefined) {
      known.refs += 1;
      return known.device;
    }
    const driver = createDriver(spec);
    if (typeof driver === 'string') return driver;
    const place = { busNumber: spec.busNumber, address: spec.address, device: spec.device };
    const device = new I2cDevice(this, place, driver, this.policy, this.timers);
    this.devices.set(key, { device, refs: 1 });
    this.entry(spec.busNumber).devices += 1;
    return device;
  }

  /** Releases a device from {@link acquireDevice}: the last release closes it (and its bus, if idle). */
  async releaseDevice(device: I2cDevice): Promise<void> {
    for (const [key, held] of this.devices) {
      if (held.device !== device) continue;
      held.refs -= 1;
      if (held.refs > 0) return;
      this.devices.delete(key);
      await device.close();
      const entry = this.buses.get(device.place.busNumber);
      if (entry === undefined) return;
      entry.devices -= 1;
      if (entry.devices > 0) return;
      this.buses.delete(device.place.busNumber);
      entry.closed = true;
      await closeQuietly(entry.bus);
      return;
    }
  }

  /** Runs `fn` alone on bus `busNumber` (see BusLock), opening the bus first if needed. */
  transaction<T>(busNumber: number, address: number, fn: (tx: I2cTransaction) => Promise<T>, options: TransactionOptions): Promise<T> {
    const entry = this.entry(busNumber);
    return entry.lock.run(async (abandoned) => {
      if (entry.stale) {
        const old = entry.bus;
        entry.bus = undefined;
        entry.stale = false;
        await closeQuietly(old);
      }
      entry.bus ??= await this.openBus(busNumber);
      if (entry.closed) {
        await closeQuietly(entry.bus);
        entry.bus = undefined;
        throw errnoError('EBADF', 'the bus was closed');
      }
      return fn(createTransaction(entry.bus, address, abandoned, this.timers));
    }, options);
  }

  invalidate(busNumber: number): void {
    const entry = this.buses.get(busNumber);
    // Marked, not closed here: a transaction of another device may be using the bus right now.
    if (entry !== undefined) entry.stale = true;
  }

  /** The lock of bus `busNumber`, for diagnostics and tests. */
  lock(busNumber: number): BusLock {
    return this.entry(busNumber).lock;
  }

  /** Closes every device and bus. Never rejects. */
  async close(): Promise<void> {
    const devices = [...this.devices.values()].map((d) => d.device);
    const entries = [...this.buses.values()];
    for (const entry of entries) entry.closed = true;
    this.devices.clear();
    this.buses.clear();
    await Promise.all(devices.map((d) => d.close()));
    await Promise.all(entries.map((e) => closeQuietly(e.bus)));
  }

  private entry(busNumber: number): BusEntry {
    let entry = this.buses.get(busNumber);
    if (entry === undefined) {
      entry = { lock: new BusLock(this.timers), bus: undefined, stale: false, devices: 0, closed: false };
      this.buses.set(busNumber, entry);
    }
    return entry;
  }
}

function deviceKey(spec: I2cDeviceSpec): string {
  const base = `${spec.busNumber}/${spec.address}/${spec.device}`;
  // An ADS1115 measures one input at one gain per conversion: each setting is its own "device".
  return spec.device === 'ads1115' ? `${base}/${spec.channel ?? 0}/${spec.gain ?? ADS1115_DEFAULT_GAIN}` : base;
}

async function closeQuietly(bus: I2cBus | undefined): Promise<void> {
  try {
    await bus?.close();
  } catch {
    // Closing is best effort: the descriptors of a vanished adapter may already be gone.
  }
}
