import { SensorFault } from '../../live/source.js';
import type { I2cTransaction } from '../i2c-transaction.js';

/** One measurement of a device: every reading it took, by field name, in canonical units. */
export type I2cReading = Readonly<Record<string, number>>;

/**
 * A built-in chip driver. One instance per device (bus, address and settings); it keeps what
 * `open` learned (calibration, variant) for `measure`.
 *
 * Contract: each method is one whole transaction, run while the bus lock is held, and uses only
 * `tx` (never timers or the bus directly: `tx.sleep` for conversion times). Bus failures are left
 * to propagate as the transaction rejects them. A reply that cannot be a reading (a bad CRC, a
 * skipped measurement) throws {@link garbage}; a device that is not the declared chip throws
 * {@link probeFailed}. Readings are finite numbers in the units of {@link I2C_FIELD_UNITS}.
 */
export interface I2cDriver {
  /** Probes (chip id where the chip has one, a plain read otherwise), reads calibration, configures. */
  open(tx: I2cTransaction): Promise<void>;
  /** The fields this device offers, known after `open` (a BMP280 in place of a BME280 has no humidity). */
  fields(): readonly string[];
  /** Takes one measurement (trigger, wait, read) and returns every field of it. */
  measure(tx: I2cTransaction): Promise<I2cReading>;
}

/** A reply that cannot be a reading. */
export function garbage(message: string): SensorFault {
  return new SensorFault('garbage', 'SPATIA_SENSOR_GARBAGE', message);
}

/** The device at the address is not the declared chip. */
export function probeFailed(message: string): SensorFault {
  return new SensorFault('error', 'SPATIA_I2C_PROBE', message);
}

/** Interprets the low `bits` bits of `value` as a two's complement number. */
export function signed(value: number, bits: number): number {
  const sign = 2 ** (bits - 1);
  const v = value % (2 * sign);
  return v >= sign ? v - 2 * sign : v;
}
