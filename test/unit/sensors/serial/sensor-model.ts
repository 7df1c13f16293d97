import type { SensorModel, ValueType } from '../../../../src/config/model.js';

/** A validated `kind: serial` (or entities) sensor as the loader would produce it. */
export function serialSensor(
  hardware: Record<string, unknown>,
  opts: { valueType?: ValueType; staleAfterUs?: number; kind?: 'serial' | 'entities' } = {},
): SensorModel {
  return {
    id: 'gps',
    kind: opts.kind ?? 'serial',
    valueType: opts.valueType ?? 'number',
    quantity: undefined,
    unit: undefined,
    location: undefined,
    sampleEveryUs: undefined,
    timeoutUs: undefined,
    staleAfterUs: opts.staleAfterUs,
    filters: [],
    sim: undefined,
    hardware: { baud: 9600, parser: 'line', ...hardware },
    pos: { file: 'test.yaml', line: 1, col: 1, path: 'sensors[0]' },
  };
}
