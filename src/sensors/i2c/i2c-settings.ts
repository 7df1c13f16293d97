import { I2C_DEVICES } from '../../config/schema-sensor-kinds.js';
import type { SensorModel } from '../../config/model.js';
import { type Affine, conversion, IDENTITY, lookupUnit } from '../../expr/units.js';
import { SensorFault } from '../live/source.js';
import type { I2cDeviceSpec } from './i2c-buses.js';
import { i2cFieldUnit } from './i2c-field-units.js';

/** An i2c sensor's settings, checked, with the conversion from the driver's unit to the sensor's. */
export interface I2cSensorSettings extends I2cDeviceSpec {
  readonly field: string;
  /** The unit the driver reports `field` in (see I2C_FIELD_UNITS). */
  readonly driverUnit: string;
  /** Driver unit -> the sensor's declared `unit` (identity when the sensor declares none). */
  readonly toSensorUnit: Affine;
}

/**
 * Reads `sensor.hardware` (bus, address, device, field, channel, gain: see
 * src/config/schema-sensor-kinds.ts) into {@link I2cSensorSettings}, or a SensorFault saying what
 * is wrong (a config the loader would have refused, or a `unit` the field cannot be converted to).
 * Never throws; `spatia validate` can call it to check units without touching hardware.
 */
export function readI2cSettings(sensor: SensorModel): I2cSensorSettings | SensorFault {
  const hw = sensor.hardware;
  const bad = (message: string): SensorFault => new SensorFault('error', 'SPATIA_CONFIG_VALUE', `sensor ${sensor.id}: ${message}`);
  const device = hw['device'];
  if (typeof device !== 'string' || I2C_DEVICES[device] === undefined) return bad(`unknown i2c device ${JSON.stringify(device)}`);
  const known = I2C_DEVICES[device];
  const busNumber = hw['bus'];
  if (!isInt(busNumber, 0, Number.MAX_SAFE_INTEGER)) return bad(`bus must be a bus number (/dev/i2c-N), got ${JSON.stringify(busNumber)}`);
  const address = hw['address'] ?? known?.address;
  if (!isInt(address, 0x03, 0x77)) return bad(`address must be a 7-bit address 0x03..0x77, got ${JSON.stringify(address)}`);
  const only = known?.fields.length === 1 ? known.fields[0] : undefined;
  const field = hw['field'] ?? only;
  const driverUnit = typeof field === 'string' ? i2cFieldUnit(device, field) : undefined;
  if (typeof field !== 'string' || driverUnit === undefined) {
    return bad(`${device} has no field ${JSON.stringify(field)} (one of ${known?.fields.join(', ')})`);
  }
  const channel = hw['channel'];
  const gain = hw['gain'];
  if (channel !== undefined && !isInt(channel, 0, 3)) return bad(`channel must be 0..3, got ${JSON.stringify(channel)}`);
  if (gain !== undefined && typeof gain !== 'number') return bad(`gain must be a number, got ${JSON.stringify(gain)}`);
  let toSensorUnit = IDENTITY;
  if (sensor.unit !== undefined) {
    const from = lookupUnit(driverUnit);
    const to = lookupUnit(sensor.unit);
    const affine = from && to && conversion(from, to);
    if (affine === undefined) {
      return new SensorFault(
        'error',
        'SPATIA_CONFIG_UNIT',
        `sensor ${sensor.id}: ${device} ${field} is measured in ${driverUnit || 'plain numbers'}, which cannot be converted to ${sensor.unit}`,
      );
    }
    toSensorUnit = affine;
  }
  return { busNumber, address, device, field, channel, gain, driverUnit, toSensorUnit };
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
