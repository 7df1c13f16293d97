import type { JsonValue } from '../../config/model.js';
import { type Frame, ReadStatus } from '../../core/frame.js';

/**
 * Writes a signal's value into slot `index` of `frame`: a number into `num`, a boolean into `num`
 * as 1 or 0, anything else (string, object, array, null) into `obj`. A numeric `NaN` is "no
 * reading": nothing is written and the result is `None`; otherwise `Ok`. Status and error are the
 * caller's ({@link MockSource}).
 */
export function writeValue(value: JsonValue, frame: Frame, index: number): ReadStatus {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return ReadStatus.None;
    frame.num[index] = value;
  } else if (typeof value === 'boolean') {
    frame.num[index] = value ? 1 : 0;
  } else {
    frame.obj[index] = value;
  }
  return ReadStatus.Ok;
}
