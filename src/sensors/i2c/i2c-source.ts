import type { SensorModel } from '../../config/model.js';
import { applyAffine } from '../../expr/units.js';
import { type PolledSource, SensorFault } from '../live/source.js';
import type { I2cBuses } from './i2c-buses.js';
import type { I2cDevice } from './i2c-device.js';
import { describePlace } from './i2c-fault.js';
import { readI2cSettings } from './i2c-settings.js';

/** What an i2c source needs from the run. */
export interface I2cSourceDeps {
  /**
   * The run's I2C registry: ONE instance shared by every i2c sensor of the run, because it holds
   * each bus's lock and each device's shared state. `new I2cBuses()` uses the real buses.
   */
  readonly buses: I2cBuses;
}

/**
 * The live source of an `i2c` sensor: `open()` opens the bus and probes the device (chip id,
 * calibration); `read()` takes a measurement (shared with the device's other sensors when fresh)
 * and resolves with the sensor's `field`, converted to the sensor's declared `unit`. Every failure
 * is a SensorFault rejection (SPATIA_I2C_BUS, _NACK, _IO, _PROBE, SPATIA_SENSOR_GARBAGE; see
 * i2c-fault.ts); after repeated failures reads reject at once during backoff (see I2cDevice).
 * A settings problem is reported by `open` and `read`, never thrown by this function.
 */
export function createI2cSource(sensor: SensorModel, deps: I2cSourceDeps): PolledSource {
  const settings = readI2cSettings(sensor);
  let device: I2cDevice | undefined;
  let seen: number | undefined;

  const acquire = (): I2cDevice => {
    if (settings instanceof SensorFault) throw settings;
    if (device === undefined) {
      const got = deps.buses.acquireDevice(settings);
      if (typeof got === 'string') throw new SensorFault('error', 'SPATIA_CONFIG_VALUE', `sensor ${sensor.id}: ${got}`);
      device = got;
    }
    return device;
  };
  const missingField = (d: I2cDevice, field: string): SensorFault =>
    new SensorFault(
      'error',
      'SPATIA_I2C_PROBE',
      `${describePlace(d.place)}: this chip has no ${field} reading (it offers ${d.fields().join(', ')})` +
        (d.place.device === 'bme280' && field === 'humidity' ? ': a BMP280 answers like a BME280 but has no humidity sensor' : ''),
    );

  return {
    mode: 'polled',
    async open() {
      const d = acquire();
      await d.open();
      if (settings instanceof SensorFault) throw settings;
      if (!d.fields().includes(settings.field)) throw missingField(d, settings.field);
    },
    async read() {
      const d = acquire();
      if (settings instanceof SensorFault) throw settings;
      const { seq, reading } = await d.measure(seen);
      seen = seq;
      const value = reading[settings.field];
      if (value === undefined) throw missingField(d, settings.field);
      if (!Number.isFinite(value)) throw new SensorFault('garbage', 'SPATIA_SENSOR_GARBAGE', `${describePlace(d.place)}: ${settings.field} is ${value}`);
      return applyAffine(settings.toSensorUnit, value);
    },
    async close() {
      const d = device;
      device = undefined;
      seen = undefined;
      if (d !== undefined) await deps.buses.releaseDevice(d);
    },
  };
}
