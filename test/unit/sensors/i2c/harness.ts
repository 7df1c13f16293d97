import { FakeI2cBus } from '../../../../src/sensors/i2c/fake/fake-i2c-bus.js';
import type { FakeI2cDevice } from '../../../../src/sensors/i2c/fake/fake-i2c-device.js';
import { createTransaction, type I2cTransaction } from '../../../../src/sensors/i2c/i2c-transaction.js';
import { VirtualTimers } from './virtual-timers.js';

/** A fake bus with one device on virtual time, and a transaction on it, for driver tests. */
export function driverHarness(
  address: number,
  device: FakeI2cDevice,
): { timers: VirtualTimers; bus: FakeI2cBus; tx: I2cTransaction; run: <T>(p: Promise<T>) => Promise<T> } {
  const timers = new VirtualTimers();
  const bus = new FakeI2cBus(() => timers.nowMs()).attach(address, device);
  const tx = createTransaction(bus, address, new AbortController().signal, timers);
  return { timers, bus, tx, run: (p) => timers.run(p) };
}

/** What a promise rejected with (fails the test if it resolved). */
export async function rejection(p: Promise<unknown>): Promise<{ status?: string; code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { status?: string; code?: string; message: string };
  }
  throw new Error('expected a rejection');
}
