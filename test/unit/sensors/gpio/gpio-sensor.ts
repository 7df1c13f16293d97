import type { SensorModel } from '../../../../src/config/model.js';
import { sensorModel } from '../../../helpers/sensor-model.js';

/** A validated `kind: gpio` sensor with these hardware keys. */
export function gpioSensor(hardware: Record<string, unknown>, id = 'door'): SensorModel {
  return sensorModel({ id, kind: 'gpio', valueType: 'boolean', hardware: { edge: 'both', active_low: false, ...hardware } });
}
