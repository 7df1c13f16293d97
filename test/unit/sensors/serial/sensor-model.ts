import type { SensorModel, ValueType } from '../../../../src/config/model.js';
import { sensorModel } from '../../../helpers/sensor-model.js';

/** A validated `kind: serial` (or entities) sensor as the loader would produce it. */
export function serialSensor(
  hardware: Record<string, unknown>,
  opts: { valueType?: ValueType; staleAfterUs?: number; kind?: 'serial' | 'entities' } = {},
): SensorModel {
  return sensorModel({
    id: 'gps',
    kind: opts.kind ?? 'serial',
    valueType: opts.valueType ?? 'number',
    staleAfterUs: opts.staleAfterUs,
    hardware: { baud: 9600, parser: 'line', ...hardware },
  });
}
