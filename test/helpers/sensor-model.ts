import type { SensorModel } from '../../src/config/model.js';

/** A validated sensor as the loader would produce it: every optional key unset unless given. */
export function sensorModel(fields: Pick<SensorModel, 'id' | 'kind' | 'hardware'> & Partial<SensorModel>): SensorModel {
  return {
    valueType: 'number',
    quantity: undefined,
    unit: undefined,
    location: undefined,
    sampleEveryUs: undefined,
    timeoutUs: undefined,
    staleAfterUs: undefined,
    filters: [],
    sim: undefined,
    pos: { file: 'test.yaml', line: 1, col: 1, path: 'sensors[0]' },
    ...fields,
  };
}
